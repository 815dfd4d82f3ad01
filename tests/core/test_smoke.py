def test_sign_in_page_renders(client):
    response = client.get("/sign-in")
    assert response.status_code == 200
    assert b"Sign in to ig" in response.data


def test_home_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_home_for_signed_in_user(client, login_as):
    login_as("staff")
    response = client.get("/")
    assert response.status_code == 200, response.data
    assert b"Your tasks" in response.data
