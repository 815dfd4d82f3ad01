// Starts govuk-frontend's components. Loaded as <script type="module">, which every
// browser that govuk-frontend supports runs, so no inline script (forbidden by the
// Content-Security-Policy) is needed to mark the page as supported.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
