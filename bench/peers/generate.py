#!/usr/bin/env python3
"""Writes the same bot of N triggers in guichet's language, RiveScript and
AIML, and one input stream with the reply each message must get.

Usage: generate.py OUT_DIR N [MESSAGES]

OUT_DIR/N/ receives:
  guichet/bot.flow      N FAQ entries and a fallback flow
  bot.rive              the same triggers for RiveScript (`+ *` is the fallback)
  bot.aiml              the same for AIML (one category per alternative, `*` fallback)
  messages.txt          one message per line
  expected.txt          for each message, the reply it must get: R<i> or FALLBACK

Every trigger has 2-5 words, a wildcard and a choice between two words;
its reply is R<i>. About 70% of the messages are worded as a trigger (the
wildcard filled with one or two words), the rest match nothing: some reuse
a trigger's frame with an unknown name, the others are unrelated questions.
Only ASCII letters are used, so that no implementation's accent handling
decides the outcome.
"""

import os
import random
import sys

ONSETS = ["b", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v"]
VOWELS = ["a", "e", "i", "o", "u", "ou"]
# Syllables that share no letter pattern with the ones above: an unknown
# name is never one typo away from a known one.
MISS_ONSETS = ["k", "z", "ch", "j", "w", "h"]
MISS_VOWELS = ["y", "ai", "eu", "oi"]

WORD_SPACE = (len(ONSETS) * len(VOWELS)) ** 3  # 373,248 distinct names
STRIDE = 7919  # prime, coprime with WORD_SPACE: a permutation of the names


def pseudo_word(n, onsets=ONSETS, vowels=VOWELS):
    w = []
    for _ in range(3):
        w.append(onsets[n % len(onsets)])
        n //= len(onsets)
        w.append(vowels[n % len(vowels)])
        n //= len(vowels)
    return "".join(w)


def name(i, k):
    """The k-th name word (0 or 1) of trigger i, distinct over all triggers."""
    return pseudo_word(((i + k * 180_000) * STRIDE) % WORD_SPACE)


# Words that fill a wildcard in a message: none of them is a frame word.
FILLERS = [
    "copie",
    "attestation",
    "carte",
    "dossier",
    "document",
    "extrait",
    "certificat",
    "formulaire",
    "autorisation",
    "copie conforme",
    "petit papier",
    "renseignement",
]

UNRELATED = [
    "quel temps fera t il demain",
    "ou se trouve la piscine communale",
    "est ce que la bibliotheque est ouverte le dimanche",
    "mon voisin fait trop de bruit la nuit",
    "je cherche un plombier pas cher",
    "combien coute un ticket de bus",
    "la rue est pleine de trous",
    "qui a gagne le match hier soir",
    "je voudrais un cafe",
    "pouvez vous me donner le numero du medecin de garde",
    "il y a un chat coince dans un arbre",
    "quand passe le prochain train pour la ville",
    "le parc est ferme pourquoi",
    "ma voisine a perdu son chien",
    "je ne trouve plus mes cles",
]


def trigger(i):
    """(RiveScript/guichet pattern, [AIML patterns], message maker) of trigger i."""
    a, b = name(i, 0), name(i, 1)
    shape = i % 4
    if shape == 0:
        rive = f"je voudrais (un|une) * pour {a}"
        aiml = [f"JE VOUDRAIS {d} * POUR {a.upper()}" for d in ("UN", "UNE")]
        make = lambda r: f"je voudrais {r.choice(['un', 'une'])} {r.choice(FILLERS)} pour {a}"
    elif shape == 1:
        rive = f"(horaires|adresse) * {a} {b}"
        aiml = [f"{d} * {a.upper()} {b.upper()}" for d in ("HORAIRES", "ADRESSE")]
        make = lambda r: f"{r.choice(['horaires', 'adresse'])} {r.choice(FILLERS)} {a} {b}"
    elif shape == 2:
        rive = f"comment (obtenir|demander) {a} *"
        aiml = [f"COMMENT {d} {a.upper()} *" for d in ("OBTENIR", "DEMANDER")]
        make = lambda r: f"comment {r.choice(['obtenir', 'demander'])} {a} {r.choice(FILLERS)}"
    else:
        rive = f"{a} {b} (rapide|urgent) *"
        aiml = [f"{a.upper()} {b.upper()} {d} *" for d in ("RAPIDE", "URGENT")]
        make = lambda r: f"{a} {b} {r.choice(['rapide', 'urgent'])} {r.choice(FILLERS)}"
    return rive, aiml, make


def miss(r):
    unknown = pseudo_word(r.randrange(6**3 * 4**3), MISS_ONSETS, MISS_VOWELS)
    kind = r.randrange(4)
    if kind == 0:
        return f"je voudrais une {r.choice(FILLERS)} pour {unknown}"
    if kind == 1:
        return f"comment obtenir {unknown} {r.choice(FILLERS)}"
    return r.choice(UNRELATED)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def generate(out, n, messages):
    d = os.path.join(out, str(n))
    flow = ['bot "Generated"\n  languages fr\n  fallback not_understood\nend\n\n']
    flow.append('flow not_understood\n  say fr: "FALLBACK"\nend\n\n')
    rive = ["! version = 2.0\n\n"]
    aiml = ['<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="1.0.1">\n']
    makers = []
    for i in range(n):
        pattern, aiml_patterns, make = trigger(i)
        makers.append(make)
        flow.append(f'faq r{i}\n  triggers fr: "{pattern}"\n  answer fr: "R{i}"\nend\n')
        rive.append(f"+ {pattern}\n- R{i}\n\n")
        for p in aiml_patterns:
            aiml.append(f"<category><pattern>{p}</pattern><template>R{i}</template></category>\n")
    rive.append("+ *\n- FALLBACK\n")
    aiml.append("<category><pattern>*</pattern><template>FALLBACK</template></category>\n</aiml>\n")
    write(os.path.join(d, "guichet", "bot.flow"), "".join(flow))
    write(os.path.join(d, "bot.rive"), "".join(rive))
    write(os.path.join(d, "bot.aiml"), "".join(aiml))

    r = random.Random(20250414 + n)
    lines, expected = [], []
    for _ in range(messages):
        if r.random() < 0.7:
            i = r.randrange(n)
            lines.append(makers[i](r))
            expected.append(f"R{i}")
        else:
            lines.append(miss(r))
            expected.append("FALLBACK")
    write(os.path.join(d, "messages.txt"), "\n".join(lines) + "\n")
    write(os.path.join(d, "expected.txt"), "\n".join(expected) + "\n")


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: generate.py OUT_DIR N [MESSAGES]")
    out, n = sys.argv[1], int(sys.argv[2])
    messages = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    if not 1 <= n <= 180_000:
        sys.exit("N must be between 1 and 180,000 (distinct names)")
    generate(out, n, messages)


if __name__ == "__main__":
    main()
