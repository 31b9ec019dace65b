// The sign-in form: posts the login and password, then opens the inbox.
// Messages are set with textContent.
"use strict";

const form = document.getElementById("sign-in");
const error = document.getElementById("error");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const r = await fetch("/staff/api/sign-in", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({
        login: form.login.value,
        password: form.password.value,
      }),
    });
    if (r.ok) {
      window.location.assign("/staff/");
      return;
    }
    if (r.status === 429) {
      const wait = r.headers.get("Retry-After");
      error.textContent = "Trop d'essais. Réessayez dans " + (wait || "quelques") + " secondes.";
    } else {
      error.textContent = "Identifiant ou mot de passe incorrect.";
    }
    form.password.value = "";
    form.password.focus();
  } catch (e) {
    error.textContent = "Le serveur ne répond pas. Réessayez.";
  } finally {
    button.disabled = false;
  }
});
