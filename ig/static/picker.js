// Turns each picker's search field (an input with data-picker-url: see
// templates/_macros/picker.html) into the GOV.UK
// accessible autocomplete, fed a few ids and names at a time from the field's search
// address. Without JavaScript the field still works: the server resolves what was typed.
// The autocomplete script (a classic deferred script, loaded just before this module)
// defines window.accessibleAutocomplete.

const DELAY_MS = 200;

function escapeHtml(text) {
  const element = document.createElement("span");
  element.textContent = text;
  return element.innerHTML;
}

function suggestions(url) {
  let timer;
  let latest;
  return (query, populate) => {
    clearTimeout(timer);
    latest?.abort();
    latest = undefined;
    timer = setTimeout(() => {
      // Only the answer to the latest query is shown: a late answer to an earlier one
      // must not reopen the list after a choice.
      const request = new AbortController();
      latest = request;
      const address = new URL(url, window.location.href);
      address.searchParams.set("q", query);
      fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: request.signal })
        .then((response) => (response.ok ? response.json() : []))
        .then((found) => {
          if (latest === request) {
            populate(found);
          }
        })
        .catch(() => {
          if (latest === request) {
            populate([]);
          }
        });
    }, DELAY_MS);
  };
}

function chosenInput(input) {
  const name = input.dataset.pickerId;
  if (!name) {
    return null; // the typed name or code alone is resolved by the server
  }
  const group = input.closest(".govuk-form-group") || input.parentElement;
  let hidden = group.querySelector(`input[type="hidden"][name="${name}"]`);
  if (!hidden) {
    hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = name;
    group.appendChild(hidden);
  }
  return hidden;
}

function enhance(input) {
  const container = document.createElement("div");
  container.className = "ig-picker";
  input.before(container);
  const hidden = chosenInput(input);
  const describedBy = input.getAttribute("aria-describedby");
  const settings = {
    element: container,
    id: input.id,
    name: input.name,
    defaultValue: input.value,
    minLength: 2,
    showNoOptionsFound: true,
    source: suggestions(input.dataset.pickerUrl),
    templates: {
      inputValue: (choice) => (choice ? choice.name : ""),
      suggestion: (choice) => (typeof choice === "string" ? escapeHtml(choice) : escapeHtml(choice.name)),
    },
    onConfirm: (choice) => {
      if (choice && hidden) {
        hidden.value = String(choice.id);
      }
    },
  };
  if (input.classList.contains("govuk-input--error")) {
    settings.inputClasses = "govuk-input--error";
  }
  input.remove();
  window.accessibleAutocomplete(settings);
  const replaced = document.getElementById(settings.id);
  if (replaced && describedBy) {
    const own = replaced.getAttribute("aria-describedby");
    replaced.setAttribute("aria-describedby", own ? `${describedBy} ${own}` : describedBy);
  }
  // Typing after a choice makes the chosen id stale; the server resolves the text again.
  if (replaced && hidden) {
    replaced.addEventListener("input", () => {
      hidden.value = "";
    });
  }
}

if (window.accessibleAutocomplete) {
  document.querySelectorAll("input[data-picker-url]").forEach(enhance);
}
