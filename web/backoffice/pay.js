// The simulated payment page: shows the payment, and Pay / Refuse post the
// decision, which the server sends to the conversation like a provider's
// callback. Every text is set with textContent.
"use strict";

const TEXTS = {
  fr: {
    title: "Paiement", description: "Objet", amount: "Montant", beneficiary: "Bénéficiaire",
    iban: "IBAN", communication: "Communication structurée", pay: "Payer", refuse: "Refuser",
    demo: "Page de démonstration : aucun paiement réel n'a lieu.",
    paid: "Paiement reçu. Vous pouvez retourner à la conversation.",
    refused: "Paiement refusé. Vous pouvez retourner à la conversation.",
    pending: "", unknown: "Ce paiement n'existe pas.", failed: "Une erreur est survenue ; réessayez.",
    qr: "Code QR du virement, à scanner avec votre application bancaire",
  },
  nl: {
    title: "Betaling", description: "Omschrijving", amount: "Bedrag", beneficiary: "Begunstigde",
    iban: "IBAN", communication: "Gestructureerde mededeling", pay: "Betalen", refuse: "Weigeren",
    demo: "Demonstratiepagina: er vindt geen echte betaling plaats.",
    paid: "Betaling ontvangen. U kunt terugkeren naar het gesprek.",
    refused: "Betaling geweigerd. U kunt terugkeren naar het gesprek.",
    pending: "", unknown: "Deze betaling bestaat niet.", failed: "Er ging iets mis; probeer opnieuw.",
    qr: "QR-code van de overschrijving, te scannen met uw bankapp",
  },
  en: {
    title: "Payment", description: "For", amount: "Amount", beneficiary: "Beneficiary",
    iban: "IBAN", communication: "Structured communication", pay: "Pay", refuse: "Refuse",
    demo: "Demonstration page: no real payment takes place.",
    paid: "Payment received. You can go back to the conversation.",
    refused: "Payment refused. You can go back to the conversation.",
    pending: "", unknown: "This payment does not exist.", failed: "Something went wrong; please try again.",
    qr: "QR code of the transfer, to scan with your banking app",
  },
};

const id = decodeURIComponent(location.pathname.split("/")[3] || "");
const $ = (x) => document.getElementById(x);
let t = TEXTS.fr;

function setText(key, value) { $(key).textContent = value; }

function show(p) {
  t = TEXTS[p.lang] || TEXTS.fr;
  document.documentElement.lang = p.lang;
  document.title = t.title + " — " + p.reference;
  for (const k of ["title", "pay", "refuse"]) setText(k, t[k]);
  for (const k of ["description", "amount", "beneficiary", "iban", "communication"]) setText("l-" + k, t[k]);
  setText("demo-only", t.demo);
  setText("description", p.description + " (" + p.reference + ")");
  setText("amount", p.amount_text);
  setText("beneficiary", p.beneficiary);
  setText("iban", p.iban);
  setText("communication", p.communication);
  $("qr").src = p.qr;
  $("qr").alt = t.qr;
  settled(p.status);
}

function settled(status) {
  const done = status === "paid" || status === "refused";
  $("pay").disabled = done;
  $("refuse").disabled = done;
  setText("status", done ? t[status] : "");
}

async function decide(decision) {
  $("pay").disabled = true;
  $("refuse").disabled = true;
  try {
    const r = await fetch("/demo/api/payments/" + encodeURIComponent(id) + "/" + decision, { method: "POST" });
    if (!r.ok) throw new Error(String(r.status));
    const body = await r.json();
    settled(body.status);
  } catch (e) {
    setText("status", t.failed);
    $("pay").disabled = false;
    $("refuse").disabled = false;
  }
}

async function load() {
  const r = await fetch("/demo/api/payments/" + encodeURIComponent(id));
  if (!r.ok) {
    setText("status", t.unknown);
    $("pay").disabled = true;
    $("refuse").disabled = true;
    return;
  }
  show(await r.json());
}

$("pay").addEventListener("click", () => decide("pay"));
$("refuse").addEventListener("click", () => decide("refuse"));
load();
