// The list of requests filed in the chat; changing a status saves it at
// once. Every text is set with textContent.
"use strict";

const KINDS = {
  creche_enrolment: "Inscription en crèche",
  resident_card_renewal: "Carte de riverain",
};
const STATUS_TEXT = {
  received: "reçue", in_progress: "en cours de traitement", accepted: "acceptée",
  refused: "refusée", completed: "terminée",
};

const rows = document.getElementById("rows");
const status = document.getElementById("status");

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

async function save(reference, value, select) {
  select.disabled = true;
  try {
    const r = await fetch("/demo/api/requests/" + encodeURIComponent(reference), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ status: value }),
    });
    if (!r.ok) throw new Error(String(r.status));
    const body = await r.json();
    status.textContent = reference + " : " + (STATUS_TEXT[body.status] || body.status) + " (" + body.updated + ")";
    select.closest("tr").lastChild.textContent = body.updated;
  } catch (e) {
    status.textContent = "Le statut de " + reference + " n'a pas pu être enregistré.";
  } finally {
    select.disabled = false;
  }
}

async function load() {
  const r = await fetch("/demo/api/requests");
  if (!r.ok) {
    status.textContent = "La liste n'a pas pu être lue.";
    return;
  }
  const body = await r.json();
  rows.replaceChildren();
  if (body.requests.length === 0) {
    const tr = document.createElement("tr");
    const td = cell("Aucune demande pour l'instant.");
    td.colSpan = 4;
    tr.append(td);
    rows.append(tr);
  }
  for (const q of body.requests) {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = q.reference;
    const select = document.createElement("select");
    select.setAttribute("aria-label", "Statut de " + q.reference);
    for (const s of body.statuses) {
      const o = document.createElement("option");
      o.value = s;
      o.textContent = STATUS_TEXT[s] || s;
      o.selected = s === q.status;
      select.append(o);
    }
    select.addEventListener("change", () => save(q.reference, select.value, select));
    const td = document.createElement("td");
    td.append(select);
    tr.append(th, cell(KINDS[q.kind] || q.kind), td, cell(q.updated));
    rows.append(tr);
  }
}

load();
