//! What every diagnostic code means, for `guichet explain CODE`: the
//! checker's messages are short, and a flow author who meets a code for
//! the first time needs the why and a worked fix.
//!
//! Each example is a piece of a bot. Unless `whole_bot` is set, it is
//! shown (and tested) with the bot block [`EXAMPLE_BOT`] before it, so
//! that the mistake stands out.

/// The bot block the examples leave out when it is not their subject.
pub const EXAMPLE_BOT: &str = "bot \"Commune de Bruyères\"\n  languages en\nend\n";

/// The documentation of one diagnostic code.
#[derive(Debug, Clone, Copy)]
pub struct Explanation {
    pub code: &'static str,
    /// `error` (the bot does not load), `warning`, or both when the same
    /// code covers a harmless and a harmful case.
    pub severity: &'static str,
    pub summary: &'static str,
    pub meaning: &'static str,
    pub why: &'static str,
    pub mistake: &'static str,
    pub fix: &'static str,
    /// The examples are complete bots, with their own `bot` block.
    pub whole_bot: bool,
    /// Data tables beside the examples: file name, its text with the
    /// mistake, its text in the fix (empty: the file does not exist).
    pub files: &'static [(&'static str, &'static str, &'static str)],
    /// The examples are shell commands, not guichet: the mistake is about
    /// files, not their content.
    pub shell: bool,
}

impl Explanation {
    /// The mistake as a complete bot's main file.
    pub fn mistake_source(&self) -> String {
        self.source(self.mistake)
    }

    /// The fix as a complete bot's main file.
    pub fn fix_source(&self) -> String {
        self.source(self.fix)
    }

    fn source(&self, example: &str) -> String {
        if self.whole_bot || self.shell {
            example.to_string()
        } else {
            format!("{EXAMPLE_BOT}\n{example}")
        }
    }

    /// The text `guichet explain CODE` prints (Markdown, readable as is).
    pub fn render(&self) -> String {
        let lang = if self.shell { "console" } else { "guichet" };
        let mut out = format!(
            "# {} ({})\n\n{}\n\n## What it means\n\n{}\n\n## Why it matters\n\n{}\n\n## Example\n\n",
            self.code, self.severity, self.summary, self.meaning, self.why
        );
        if !self.whole_bot && !self.shell {
            out.push_str("In a bot whose `bot` block declares `languages en`:\n\n");
        }
        out.push_str(&format!("```{lang}\n{}\n```\n", self.mistake.trim_end()));
        for (name, bad, _) in self.files {
            if !bad.is_empty() {
                out.push_str(&format!(
                    "\nwith `{name}`:\n\n```csv\n{}\n```\n",
                    bad.trim_end()
                ));
            }
        }
        out.push_str(&format!(
            "\nUse instead:\n\n```{lang}\n{}\n```\n",
            self.fix.trim_end()
        ));
        for (name, bad, good) in self.files {
            if good != bad && !good.is_empty() {
                out.push_str(&format!(
                    "\nwith `{name}`:\n\n```csv\n{}\n```\n",
                    good.trim_end()
                ));
            }
        }
        out
    }
}

/// The explanation of a code, if guichet emits it.
pub fn explain(code: &str) -> Option<&'static Explanation> {
    EXPLANATIONS.iter().find(|e| e.code == code)
}

/// Every code guichet emits, in alphabetical order.
pub fn codes() -> impl Iterator<Item = &'static str> {
    EXPLANATIONS.iter().map(|e| e.code)
}

const TARIFFS: &str = "rank,price\nfirst,15.00\nsecond,30.00\n";

/// Kept in alphabetical order: `guichet explain` lists them as they are.
pub static EXPLANATIONS: &[Explanation] = &[
    Explanation {
        code: "argument-may-be-missing",
        severity: "warning",
        summary: "A required argument of an action may have no value when the action is done.",
        meaning: "The argument is fed by a slot the citizen may skip (`optional`), a slot asked \
                  only `when` a condition holds, or a variable set on some paths only. When it \
                  has no value, guichet does not send the action: the turn stops with a \
                  `missing_argument` error and the conversation stays where it is.",
        why: "The host would otherwise receive a request without what it needs; refused, the \
              citizen is stuck at the confirmation instead.",
        mistake: r#"action book_appointment(day: date, reason: text) -> (number: text)

flow appointment
  triggers en: "appointment"
  form
    slot day: date
      ask en: "Which day?"
    slot reason: text
      optional
      ask en: "What is it about?"
  end
  do book_appointment(day, reason) as booked
  say en: "Booked: {booked.number}."
end"#,
        fix: r#"action book_appointment(day: date, reason?: text) -> (number: text)

flow appointment
  triggers en: "appointment"
  form
    slot day: date
      ask en: "Which day?"
    slot reason: text
      optional
      ask en: "What is it about?"
  end
  do book_appointment(day, reason) as booked
  say en: "Booked: {booked.number}."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "argument-type",
        severity: "error",
        summary: "An action is given a value of the wrong type for one of its arguments.",
        meaning:
            "Every argument of an `action` is declared with a type. The value passed in a `do` \
                  must have that type: a number for a `number`, a date for a `date`, and so on.",
        why: "The host receives the arguments as typed JSON. A text where the town hall's \
              booking system expects a number makes the action fail for every citizen who \
              reaches it, after they have answered all the questions.",
        mistake: r#"action book_appointment(day: date, people: number) -> (number: text)

flow appointment
  triggers en: "appointment"
  form
    slot day: date
      ask en: "Which day?"
  end
  do book_appointment(day, people: "two") as booked
  say en: "Booked: {booked.number}."
end"#,
        fix: r#"action book_appointment(day: date, people: number) -> (number: text)

flow appointment
  triggers en: "appointment"
  form
    slot day: date
      ask en: "Which day?"
  end
  do book_appointment(day, people: 2) as booked
  say en: "Booked: {booked.number}."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "bad-attempts",
        severity: "error",
        summary: "A slot allows zero attempts.",
        meaning: "`attempts N then ... end` gives the citizen N tries to answer a question before \
                  the statements after `then` run. N must be at least 1.",
        why: "With zero attempts the question is never asked: every citizen goes straight to \
              the way out (usually a hand-over), and staff get conversations the bot could \
              have handled.",
        mistake: r#"flow birth
  triggers en: "declare a birth"
  form
    slot child_birth_date: date
      ask en: "When was the child born?"
      attempts 0 then
        handoff too_many_attempts
      end
  end
  say en: "Thank you."
end"#,
        fix: r#"flow birth
  triggers en: "declare a birth"
  form
    slot child_birth_date: date
      ask en: "When was the child born?"
      attempts 3 then
        handoff too_many_attempts
      end
  end
  say en: "Thank you."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "bad-literal",
        severity: "error",
        summary: "A number, date or time written in a flow does not exist or is too large.",
        meaning: "Literals are read when the bot loads: `2025-02-30` is not a date, `25:00` is \
                  not a time, and numbers (including a number of attempts) have a maximum size.",
        why: "A wrong date in a rule (a deadline, an opening day) would make every comparison \
              with it meaningless; the bot refuses to load rather than guess.",
        mistake: r#"flow deadline
  triggers en: "deadline"
  set deadline = 2025-02-30
  say en: "Apply before {deadline}."
end"#,
        fix: r#"flow deadline
  triggers en: "deadline"
  set deadline = 2025-02-28
  say en: "Apply before {deadline}."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "bad-pattern",
        severity: "error",
        summary: "A trigger pattern cannot be read.",
        meaning: "Trigger patterns have a small syntax: `(a|b)` is a choice, `[words]` are \
                  optional, `*` allows anything. A bracket or parenthesis left open (or closed \
                  without being opened) makes the pattern unreadable.",
        why: "An unreadable trigger would never match: citizens asking for this service in \
              those words would get the fallback instead.",
        mistake: r#"flow canteen
  triggers
    en: "menu [of the canteen", "canteen"
  say en: "Here is the menu."
end"#,
        fix: r#"flow canteen
  triggers
    en: "menu [of the] canteen", "canteen"
  say en: "Here is the menu."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "bad-shape",
        severity: "error",
        summary: "A shape of a `pattern` cannot be read.",
        meaning: "A `pattern` declares the shapes its values have: `d` is a digit, `a` a \
                  letter, `x` a letter or a digit, capitals and digits stand for themselves, \
                  and `-`, `/`, `.`, `_` or a space separate parts. Any other character, a \
                  shape without `d`, `a` or `x`, or one that starts or ends with a separator \
                  cannot be read.",
        why: "A slot of this type would never find the citizen's reference in their message: \
              it would ask again and again for a value it cannot recognise.",
        mistake: r#"pattern request_reference "cr-dddd-dddd"

flow status
  triggers en: "where is my request"
  form
    slot reference: request_reference
      ask en: "Your request's reference?"
  end
  say en: "Looking up {reference}."
end"#,
        fix: r#"pattern request_reference "CR-dddd-dddd"

flow status
  triggers en: "where is my request"
  form
    slot reference: request_reference
      ask en: "Your request's reference?"
  end
  say en: "Looking up {reference}."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "confirm-without-slots",
        severity: "error",
        summary: "A form has a `confirm` but no slot to confirm.",
        meaning: "`confirm` asks the citizen to check the answers of the form's slots and lets \
                  them correct one. A form without slots has nothing to confirm or correct.",
        why: "The citizen would be asked \"Is that right?\" about nothing, and answering \"no\" \
              would offer no slot to change: a confusing dead end.",
        mistake: r#"flow birth
  triggers en: "declare a birth"
  form
    confirm en: "Is that right?"
  end
  say en: "Thank you."
end"#,
        fix: r#"flow birth
  triggers en: "declare a birth"
  form
    slot child_birth_date: date
      ask en: "When was the child born?"
    confirm en: "Born on {child_birth_date}. Is that right?"
  end
  say en: "Thank you."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "duplicate-bot",
        severity: "error",
        summary: "The bot has more than one `bot` block.",
        meaning: "A bot's settings (name, languages, default language, start and fallback \
                  flows, holidays) are declared once, in a single `bot` block, in any of its \
                  files.",
        why: "Two blocks could disagree (two names, two sets of languages); only one can be \
              right, and guichet will not pick one silently.",
        mistake: r#"bot "Commune de Bruyères"
  languages en
end

bot "Bruyères"
  languages en
end

flow hello
  triggers en: "hello"
  say en: "Hello!"
end"#,
        fix: r#"bot "Commune de Bruyères"
  languages en
end

flow hello
  triggers en: "hello"
  say en: "Hello!"
end"#,
        whole_bot: true,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "duplicate-language",
        severity: "error",
        summary: "A text gives the same language twice.",
        meaning: "A citizen-facing text has one line per language (`fr: ...`, `nl: ...`). \
                  Variants of one language go on the same line, separated by `|`.",
        why: "With two lines for one language, it is unclear whether the second is a \
              variant or a mistake for another language, which then has no text.",
        mistake: r#"bot "Commune de Bruyères"
  languages fr, nl
end

flow hello
  triggers
    fr: "bonjour"
    nl: "hallo"
  say
    fr: "Bonjour !"
    nl: "Hallo!"
    fr: "Salut !"
end"#,
        fix: r#"bot "Commune de Bruyères"
  languages fr, nl
end

flow hello
  triggers
    fr: "bonjour"
    nl: "hallo"
  say
    fr: "Bonjour !" | "Salut !"
    nl: "Hallo!"
end"#,
        whole_bot: true,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "duplicate-name",
        severity: "error or warning",
        summary: "Two declarations (or two slots, options or languages) share a name.",
        meaning: "Flows, FAQ entries, actions, choices, slots, tables and texts each need a \
                  name of their own in the bot; so do the slots of a flow and the options of \
                  a choice. A language listed twice in `languages` is a warning.",
        why: "A button, `goto` or `{slot}` naming a duplicate could mean either one; \
              citizens would get whichever guichet happened to pick.",
        mistake: r#"flow birth
  triggers en: "birth"
  say en: "To declare a birth, come to the town hall."
end

flow birth
  triggers en: "born"
  say en: "Congratulations!"
end"#,
        fix: r#"flow birth
  triggers en: "birth"
  say en: "To declare a birth, come to the town hall."
end

flow congratulations
  triggers en: "born"
  say en: "Congratulations!"
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "duplicate-setting",
        severity: "error",
        summary: "A setting is given twice in the `bot` block.",
        meaning: "Each setting of the `bot` block (`languages`, `default`, `start`, \
                  `fallback`, `holidays`) is given once.",
        why: "With two `start` flows, only one can greet visitors; the other was probably \
              meant somewhere else.",
        mistake: r#"bot "Commune de Bruyères"
  languages en
  start hello
  start welcome_back
end

flow hello
  triggers en: "hello"
  say en: "Hello!"
end"#,
        fix: r#"bot "Commune de Bruyères"
  languages en
  start hello
end

flow hello
  triggers en: "hello"
  say en: "Hello!"
end"#,
        whole_bot: true,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "empty-choice",
        severity: "error",
        summary: "A `choice` has no option.",
        meaning: "A `choice` type lists the answers a slot accepts, each an `option` with the \
                  words citizens use for it.",
        why: "A slot of an empty choice can never be answered: every citizen asked it would \
              be stuck until they give up.",
        mistake: r#"choice card_kind
end

flow renewal
  triggers en: "renew card"
  form
    slot card: card_kind
      ask en: "Which card?"
  end
  say en: "Thank you."
end"#,
        fix: r#"choice card_kind
  option first en: "first card", "first"
  option second en: "second card", "second"
end

flow renewal
  triggers en: "renew card"
  form
    slot card: card_kind
      ask en: "Which card?"
  end
  say en: "Thank you."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "empty-form",
        severity: "error",
        summary: "A `form` has no slot.",
        meaning: "A form asks for its slots in order. Without slots it does nothing.",
        why: "An empty form is usually a slot forgotten or lost in an edit: the flow would \
              go on without the information it needs.",
        mistake: r#"flow birth
  triggers en: "declare a birth"
  form
  end
  say en: "Thank you."
end"#,
        fix: r#"flow birth
  triggers en: "declare a birth"
  form
    slot child_birth_date: date
      ask en: "When was the child born?"
  end
  say en: "Thank you."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "endless-loop",
        severity: "error",
        summary:
            "Flows go to each other (or a flow calls or restarts itself) without asking anything.",
        meaning: "`goto`, `call` and `restart` move between flows. When they form a circle and \
                  no flow on the way asks the citizen something (a form) or does an action, \
                  the bot runs in circles without ever waiting for the citizen.",
        why: "The conversation would hang, and the citizen would get no answer at all.",
        mistake: r#"flow again
  triggers en: "again"
  say en: "Once more."
  call again
end"#,
        fix: r#"flow again
  triggers en: "again"
  say en: "Once more."
  form
    slot more: yesno
      ask en: "Again?"
  end
  if more
    restart
  end
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "example-not-matched",
        severity: "error",
        summary: "An example of a flow does not reach that flow.",
        meaning: "`examples` are phrasings citizens really use; the checker runs each through \
                  the trigger matcher and expects it to start its flow. This one matches no \
                  trigger well enough.",
        why: "A citizen writing this would get the fallback (\"I did not understand\") \
              instead of the service they asked for.",
        mistake: r#"flow canteen
  triggers
    en: "canteen menu"
  examples
    en: "what do the children eat at school?"
  say en: "Here is the menu."
end"#,
        fix: r#"flow canteen
  triggers
    en: "canteen menu", "what do * eat *"
  examples
    en: "what do the children eat at school?"
  say en: "Here is the menu."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "example-stolen",
        severity: "error",
        summary: "An example of a flow starts another flow.",
        meaning: "The example matches a trigger of another flow better than any trigger of its \
                  own flow.",
        why: "A citizen writing this would be taken to the wrong service: asking about the \
              canteen menu and hearing its price, for instance.",
        mistake: r#"flow canteen
  triggers
    en: "canteen menu"
  examples
    en: "price of the canteen"
  say en: "Here is the menu."
end

flow canteen_price
  triggers
    en: "canteen price", "canteen cost"
  say en: "A meal costs 3.50 EUR."
end"#,
        fix: r#"flow canteen
  triggers
    en: "canteen menu"
  examples
    en: "what is on the canteen menu"
  say en: "Here is the menu."
end

flow canteen_price
  triggers
    en: "canteen price", "canteen cost"
  examples
    en: "price of the canteen"
  say en: "A meal costs 3.50 EUR."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "hidden-trigger",
        severity: "warning",
        summary: "A trigger never wins: another flow's trigger takes the same words.",
        meaning: "Triggers match words in any order, after stemming and folding accents. Two \
                  triggers with the same words are the same trigger, and the first one \
                  always wins.",
        why: "The hidden flow can never be reached by those words: citizens asking for it \
              end up in the other one.",
        mistake: r#"flow nursery
  triggers
    en: "nursery enrolment"
  say en: "Enrolment in the nursery."
end

flow nursery_hours
  triggers
    en: "enrolment nursery"
  say en: "The nursery is open from 7 am to 6 pm."
end"#,
        fix: r#"flow nursery
  triggers
    en: "nursery enrolment"
  say en: "Enrolment in the nursery."
end

flow nursery_hours
  triggers
    en: "nursery opening hours"
  say en: "The nursery is open from 7 am to 6 pm."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "loop-without-question",
        severity: "warning",
        summary: "A loop asks the citizen something only through slots that may all be skipped.",
        meaning: "A `goto`, `call` or `restart` leads back into a circle whose only question is \
                  a form whose slots all have a `when` (or already hold a value). When every \
                  `when` is false, nothing is asked on the way round.",
        why: "For the citizens whose answers make the conditions false, the bot runs in \
              circles and stops with an error instead of answering.",
        mistake: r#"flow survey
  triggers en: "survey"
  form
    slot comment: text
      when weekday(today()) == 1
      ask en: "Any comment?"
  end
  goto survey
end"#,
        fix: r#"flow survey
  triggers en: "survey"
  form
    slot comment: text
      when weekday(today()) == 1
      ask en: "Any comment?"
    slot more: yesno
      ask en: "Another one?"
  end
  if more
    restart
  end
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "missing-argument",
        severity: "error",
        summary: "A `do` or `call` leaves out a required argument, or a flow that needs \
                  arguments is started without them.",
        meaning: "Every argument declared without `?` must be given when the action is done or \
                  the flow called. A flow with required arguments is entered only by `call`: a \
                  trigger, a button or a `goto` cannot give them.",
        why: "The host would receive an incomplete request: a booking without its reason \
              reaches staff unusable, or fails outright.",
        mistake: r#"action book_appointment(day: date, reason: text, note?: text) -> (number: text)

flow appointment
  triggers en: "appointment"
  form
    slot day: date
      ask en: "Which day?"
  end
  do book_appointment(day) as booked
  say en: "Booked: {booked.number}."
end"#,
        fix: r#"action book_appointment(day: date, reason: text, note?: text) -> (number: text)

flow appointment
  triggers en: "appointment"
  form
    slot day: date
      ask en: "Which day?"
    slot reason: text
      ask en: "What is it about?"
  end
  do book_appointment(day, reason) as booked
  say en: "Booked: {booked.number}."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "missing-bot",
        severity: "error",
        summary: "The bot has no `bot` block.",
        meaning: "One file of the bot declares its name and languages in a `bot` block.",
        why: "Without its languages, guichet cannot tell which texts must be translated, nor \
              which language to answer in.",
        mistake: r#"flow hello
  triggers en: "hello"
  say en: "Hello!"
end"#,
        fix: r#"bot "Commune de Bruyères"
  languages en
end

flow hello
  triggers en: "hello"
  say en: "Hello!"
end"#,
        whole_bot: true,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "missing-languages",
        severity: "error",
        summary: "The `bot` block does not list the bot's languages.",
        meaning: "`languages fr, nl, en` says which languages every citizen-facing text must \
                  exist in, and which the bot can answer in.",
        why: "The checker cannot find missing translations, and the bot cannot tell which \
              language to use, without this list.",
        mistake: r#"bot "Commune de Bruyères"
  default fr
end

flow hello
  triggers fr: "bonjour"
  say fr: "Bonjour !"
end"#,
        fix: r#"bot "Commune de Bruyères"
  languages fr
  default fr
end

flow hello
  triggers fr: "bonjour"
  say fr: "Bonjour !"
end"#,
        whole_bot: true,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "missing-prompt",
        severity: "error",
        summary: "A slot has no `ask`: the bot would not know how to ask for it.",
        meaning: "Every slot of a form needs the question that asks for it (`ask`), in each of \
                  the bot's languages. A slot `like` a top-level slot can take its `ask` from \
                  there.",
        why: "The citizen would be waiting for a question that never comes.",
        mistake: r#"flow birth
  triggers en: "declare a birth"
  form
    slot child_birth_date: date
      label en: "date of birth"
  end
  say en: "Thank you."
end"#,
        fix: r#"flow birth
  triggers en: "declare a birth"
  form
    slot child_birth_date: date
      label en: "date of birth"
      ask en: "When was the child born?"
  end
  say en: "Thank you."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "missing-table-file",
        severity: "error",
        summary: "The CSV file of a `table` was not found.",
        meaning: "`table name from \"file.csv\" (...)` reads the file beside the flow file that \
                  declares the table. The file name is taken as written, relative to that flow \
                  file.",
        why: "Without its data, every lookup in the table (tariffs, collection days, menus) \
              would find nothing, and citizens would get wrong answers.",
        mistake: r#"table tariffs from "tarifs.csv" (rank: text, price: money)

flow price
  triggers en: "price"
  set row = lookup(tariffs, "rank", "first")
  say en: "It costs {row.price}."
end"#,
        fix: r#"table tariffs from "tariffs.csv" (rank: text, price: money)

flow price
  triggers en: "price"
  set row = lookup(tariffs, "rank", "first")
  say en: "It costs {row.price}."
end"#,
        whole_bot: false,
        files: &[("tariffs.csv", TARIFFS, TARIFFS)],
        shell: false,
    },
    Explanation {
        code: "missing-translation",
        severity: "warning",
        summary: "A citizen-facing text lacks one of the bot's languages.",
        meaning: "Every text a citizen sees (says, questions, labels, buttons, choice options) \
                  is written once per language listed in the `bot` block.",
        why: "Belgian communes owe citizens an answer in their language; a citizen writing \
              in Dutch would get the text in another language, or nothing.",
        mistake: r#"bot "Commune de Bruyères"
  languages fr, nl
end

flow hello
  triggers
    fr: "bonjour"
    nl: "hallo"
  say
    fr: "Bonjour !"
end"#,
        fix: r#"bot "Commune de Bruyères"
  languages fr, nl
end

flow hello
  triggers
    fr: "bonjour"
    nl: "hallo"
  say
    fr: "Bonjour !"
    nl: "Hallo!"
end"#,
        whole_bot: true,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "missing-trigger-language",
        severity: "warning",
        summary: "A flow has triggers in some of the bot's languages but not in all.",
        meaning: "Triggers are matched in the citizen's language; a flow without triggers in a \
                  language cannot be started by words in that language.",
        why: "Citizens writing in that language could reach the service only through a \
              button, and would mostly get \"I did not understand\".",
        mistake: r#"bot "Commune de Bruyères"
  languages fr, nl
end

flow hello
  triggers
    fr: "bonjour"
  say
    fr: "Bonjour !"
    nl: "Hallo!"
end"#,
        fix: r#"bot "Commune de Bruyères"
  languages fr, nl
end

flow hello
  triggers
    fr: "bonjour"
    nl: "hallo"
  say
    fr: "Bonjour !"
    nl: "Hallo!"
end"#,
        whole_bot: true,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "recursive-call",
        severity: "warning",
        summary: "A flow calls itself, directly or through other flows.",
        meaning: "`call` runs a flow inside the one that calls it, which resumes when it ends. \
                  A flow that calls itself again (or calls a flow that calls it) runs one more \
                  flow inside the others at each round: a payment retried by calling the \
                  payment flow again nests a new flow per retry.",
        why: "At most 16 flows run inside each other. After that many rounds every message \
              of the citizen ends in an error, and they are stuck.",
        mistake: r#"action take_payment(amount: money) -> (status: text)

flow pay(amount: money)
  do take_payment(amount) as payment
    ok
      if payment.status != "paid"
        form
          slot again: yesno
            ask en: "The payment failed. Try again?"
        end
        if again
          call pay(amount: amount)
        end
      end
    failed
      handoff payment_failed
  end
end

flow fine
  triggers en: "pay a fine"
  call pay(amount: 50 EUR)
end"#,
        fix: r#"action take_payment(amount: money) -> (status: text)

flow pay(amount: money)
  do take_payment(amount) as payment
    ok
      if payment.status != "paid"
        form
          slot again: yesno
            ask en: "The payment failed. Try again?"
        end
        if again
          restart
        end
      end
    failed
      handoff payment_failed
  end
end

flow fine
  triggers en: "pay a fine"
  call pay(amount: 50 EUR)
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "redundant-personal",
        severity: "warning",
        summary: "A slot is marked `personal` although its type always holds personal data.",
        meaning: "Slots of the types `national_number`, `iban`, `phone`, `email`, `name` and \
                  `plate` are personal data whatever the flow says: their values are redacted \
                  outside the citizen's own conversation. `personal` marks slots of other types \
                  (a free-text address, a date of birth) that hold personal data too.",
        why: "It suggests the author thinks a slot without the mark would be logged or counted \
              in clear, which is never the case for these types.",
        mistake: r#"flow callback
  triggers en: "call me back"
  form
    slot phone_number: phone
      personal
      ask en: "Which number should we call?"
    slot address: text
      ask en: "Your address?"
  end
  say en: "We will call you."
end"#,
        fix: r#"flow callback
  triggers en: "call me back"
  form
    slot phone_number: phone
      ask en: "Which number should we call?"
    slot address: text
      personal
      ask en: "Your address?"
  end
  say en: "We will call you."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "syntax",
        severity: "error",
        summary:
            "A file cannot be read as guichet: a keyword, `end` or quote is missing or misplaced.",
        meaning: "The parser expected something else at this place; the message lists what \
                  would have been accepted: a `:` after a language, a quote, a keyword. A \
                  block left without its `end` has a code of its own, `unclosed-block`.",
        why: "Nothing of the bot loads until the file reads correctly.",
        mistake: r#"flow hello
  triggers en: "hello"
  say en "Hello!"
end"#,
        fix: r#"flow hello
  triggers en: "hello"
  say en: "Hello!"
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "table-cell",
        severity: "error",
        summary: "A cell of a data table cannot be read with its column's type.",
        meaning: "Each CSV cell is read with the type the `table` declaration gives its column: \
                  money as `12.50`, dates as `YYYY-MM-DD`, numbers with a dot. The message \
                  gives the line in the CSV file.",
        why: "A tariff written `thirty` would have no price; the bot would quote nothing, or \
              compare against nothing, for every citizen asking about it.",
        mistake: r#"table tariffs from "tariffs.csv" (rank: text, price: money)

flow price
  triggers en: "price"
  set row = lookup(tariffs, "rank", "first")
  say en: "It costs {row.price}."
end"#,
        fix: r#"table tariffs from "tariffs.csv" (rank: text, price: money)

flow price
  triggers en: "price"
  set row = lookup(tariffs, "rank", "first")
  say en: "It costs {row.price}."
end"#,
        whole_bot: false,
        files: &[(
            "tariffs.csv",
            "rank,price\nfirst,15.00\nsecond,thirty\n",
            TARIFFS,
        )],
        shell: false,
    },
    Explanation {
        code: "too-deep",
        severity: "error",
        summary: "Blocks or expressions are nested deeper than guichet reads.",
        meaning: "A file may hold at most 64 blocks inside each other (an item, `if`, \
                  `match`, `form`, the branches of `do`, `attempts ... then`) and 100 \
                  expression levels (brackets, lists, calls and interpolations inside each \
                  other, and the operators of one expression). The item that goes deeper is \
                  not read; the rest of the file is.",
        why: "Reading, checking and running a bot follow each block and bracket into what it \
              holds; without a limit, a file generated by a tool or pasted twice could stop \
              the server. Real flows stay far below: split deep logic into flows you `call`, \
              and long calculations into `set` steps.",
        mistake: r#"flow tariff
  triggers en: "tariff"
  set amount = (((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
  say en: "That is {amount} EUR."
end"#,
        fix: r#"flow tariff
  triggers en: "tariff"
  set amount = 1
  say en: "That is {amount} EUR."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "type-mismatch",
        severity: "error",
        summary: "A value has the wrong type for where it is used.",
        meaning: "Expressions are typed: a date plus a number, a money amount compared with a \
                  plain number, a text as a condition or a slot default of another type are \
                  refused. Durations are written with their unit (`3 days`), money with its \
                  currency (`10 EUR`).",
        why: "`start_date >= today() + 3` could mean days, weeks or months; guessing would \
              accept or refuse citizens' dates wrongly.",
        mistake: r#"flow renewal
  triggers en: "renew card"
  form
    slot start_date: date
      ask en: "From when?"
      require start_date >= today() + 3
        else en: "The date must be at least 3 days from now."
  end
  say en: "Thank you."
end"#,
        fix: r#"flow renewal
  triggers en: "renew card"
  form
    slot start_date: date
      ask en: "From when?"
      require start_date >= today() + 3 days
        else en: "The date must be at least 3 days from now."
  end
  say en: "Thank you."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unclosed-block",
        severity: "error",
        summary: "A block (`flow`, `if`, `form`, `match`, a `do` branch...) has no `end`.",
        meaning: "Every block ends with `end`. guichet finds the block left open from the \
                  layout `guichet fmt` gives: a block's `end` stands at the indentation of the \
                  line that opened it, so the first line back at that indentation (or less) \
                  shows where the block stopped. The help names the line after which the \
                  `end` belongs; the rest of the file is read as if it were there.",
        why: "Without its `end`, the statements after the block would belong to it: a `say` \
              meant for everyone would only run when the condition holds.",
        mistake: r#"flow opening_hours
  triggers en: "opening hours"
  if is_holiday(today())
    say en: "The town hall is closed today."
  say en: "We are open from 9:00 to 12:00."
end"#,
        fix: r#"flow opening_hours
  triggers en: "opening hours"
  if is_holiday(today())
    say en: "The town hall is closed today."
  end
  say en: "We are open from 9:00 to 12:00."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unknown-action",
        severity: "error",
        summary: "A `do` names an action that is not declared.",
        meaning: "Actions are declared with `action name(arguments) -> (results)` so that \
                  their arguments and results can be checked. The message suggests the \
                  closest declared name.",
        why: "The host would be asked to do something it does not know: the citizen's \
              request would be lost.",
        mistake: r#"action send_confirmation(email: email)

flow subscribe
  triggers en: "subscribe"
  form
    slot email: email
      ask en: "Your e-mail address?"
  end
  do send_confirmaton(email)
  say en: "Done."
end"#,
        fix: r#"action send_confirmation(email: email)

flow subscribe
  triggers en: "subscribe"
  form
    slot email: email
      ask en: "Your e-mail address?"
  end
  do send_confirmation(email)
  say en: "Done."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unknown-argument",
        severity: "error",
        summary: "A `do` passes an argument the action does not declare.",
        meaning: "Named arguments (`name: value`) and arguments written alone (`reference`, \
                  meaning `reference: reference`) must be among the action's declared \
                  arguments.",
        why: "Usually a typo: the value the host needed goes under a name it ignores.",
        mistake: r#"action get_request_status(reference: text) -> (status: text)

flow status
  triggers en: "where is my request"
  form
    slot ref: text
      ask en: "What is the reference of your request?"
  end
  do get_request_status(refrence: ref) as found
  say en: "Your request is {found.status}."
end"#,
        fix: r#"action get_request_status(reference: text) -> (status: text)

flow status
  triggers en: "where is my request"
  form
    slot ref: text
      ask en: "What is the reference of your request?"
  end
  do get_request_status(reference: ref) as found
  say en: "Your request is {found.status}."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unknown-column",
        severity: "error",
        summary: "A table column is missing from its CSV file, or a lookup names no column.",
        meaning: "The columns declared in `table ... (column: type)` must be in the CSV file's \
                  first line, and `lookup(table, \"column\", value)` and `rows(...)` must \
                  name a declared column.",
        why: "A lookup on a column that does not exist finds nothing: the citizen would be \
              told there is no tariff, collection day or menu.",
        mistake: r#"table tariffs from "tariffs.csv" (rank: text, price: money)

flow price
  triggers en: "price"
  set row = lookup(tariffs, "rnk", "first")
  say en: "It costs {row.price}."
end"#,
        fix: r#"table tariffs from "tariffs.csv" (rank: text, price: money)

flow price
  triggers en: "price"
  set row = lookup(tariffs, "rank", "first")
  say en: "It costs {row.price}."
end"#,
        whole_bot: false,
        files: &[("tariffs.csv", TARIFFS, TARIFFS)],
        shell: false,
    },
    Explanation {
        code: "unknown-date-order",
        severity: "error",
        summary: "The `dates` setting names an order of day and month guichet does not know.",
        meaning: "`dates day_first` (the default) reads 3/7 as the 3rd of July, as in Belgium \
                  and most of the world; `dates month_first` reads it as March 7th, as in the \
                  United States. Dates written with a month name or a day above 12 read the same \
                  either way.",
        why: "A citizen booking an appointment on 3/7 would be booked four months off.",
        mistake: r#"bot "Commune de Bruyères"
  languages en
  dates us
end

flow hello
  triggers en: "hello"
  say en: "Hello!"
end"#,
        fix: r#"bot "Commune de Bruyères"
  languages en
  dates month_first
end

flow hello
  triggers en: "hello"
  say en: "Hello!"
end"#,
        whole_bot: true,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unknown-field",
        severity: "error",
        summary: "A field is read that the record does not have.",
        meaning: "Records have known fields: an action's result has its declared result fields, \
                  a table row has the table's columns. `found.state` is refused when the \
                  action returns `status`.",
        why: "The citizen would be told \"Your request is .\" with the information missing.",
        mistake: r#"action get_request_status(reference: text) -> (status: text)

flow status
  triggers en: "where is my request"
  form
    slot reference: text
      ask en: "What is the reference of your request?"
  end
  do get_request_status(reference) as found
  say en: "Your request is {found.state}."
end"#,
        fix: r#"action get_request_status(reference: text) -> (status: text)

flow status
  triggers en: "where is my request"
  form
    slot reference: text
      ask en: "What is the reference of your request?"
  end
  do get_request_status(reference) as found
  say en: "Your request is {found.status}."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unknown-flow",
        severity: "error or warning",
        summary: "A `goto`, `call`, setting or button names no flow.",
        meaning: "`goto`, `call`, `start` and `fallback` name a flow (or FAQ entry) of the bot or \
                  of the standard library. A button's payload names a flow, an FAQ entry, \
                  `yes`, `no` or an option of the slot being asked; for another payload, \
                  quote it (a warning).",
        why: "The citizen would be sent nowhere: the conversation stops or the button does \
              nothing.",
        mistake: r#"flow welcome
  triggers en: "hello"
  say en: "Hello!"
  goto parkin_permit
end

flow parking_permit
  triggers en: "parking permit"
  say en: "Here is how to get a parking permit."
end"#,
        fix: r#"flow welcome
  triggers en: "hello"
  say en: "Hello!"
  goto parking_permit
end

flow parking_permit
  triggers en: "parking permit"
  say en: "Here is how to get a parking permit."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unknown-function",
        severity: "error",
        summary: "A function is called that guichet does not have.",
        meaning: "The built-in functions are listed in the language reference (`today()`, \
                  `weekday_name(d)`, `lookup(...)`, ...). The message suggests the closest one.",
        why: "The text or rule using it could not be computed for any citizen.",
        mistake: r#"flow today_is
  triggers en: "what day is it"
  say en: "Today is {weekdayname(today())}."
end"#,
        fix: r#"flow today_is
  triggers en: "what day is it"
  say en: "Today is {weekday_name(today())}."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unknown-holidays",
        severity: "error",
        summary: "The `holidays` setting names a country guichet does not know.",
        meaning: "`holidays be` or `holidays fr` chooses the public holidays used by \
                  `is_holiday`, `next_working_day` and friends.",
        why: "Deadlines and opening days would be computed without the public holidays, \
              telling citizens to come on a day the town hall is closed.",
        mistake: r#"bot "Commune de Bruyères"
  languages en
  holidays de
end

flow hello
  triggers en: "hello"
  say en: "Hello!"
end"#,
        fix: r#"bot "Commune de Bruyères"
  languages en
  holidays be
end

flow hello
  triggers en: "hello"
  say en: "Hello!"
end"#,
        whole_bot: true,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unknown-language",
        severity: "error",
        summary: "A language is used that guichet does not speak or the bot does not declare.",
        meaning: "guichet speaks `fr`, `nl` and `en`. The `languages`, `default` and `language` \
                  settings and every `xx:` line of a text must use one of the bot's declared \
                  languages.",
        why: "A text in an undeclared language is never shown; a default language the bot \
              does not have leaves citizens whose language is unknown without answers.",
        mistake: r#"bot "Commune de Bruyères"
  languages fr, nl
  default en
end

flow hello
  triggers
    fr: "bonjour"
    nl: "hallo"
  say
    fr: "Bonjour !"
    nl: "Hallo!"
end"#,
        fix: r#"bot "Commune de Bruyères"
  languages fr, nl
  default fr
end

flow hello
  triggers
    fr: "bonjour"
    nl: "hallo"
  say
    fr: "Bonjour !"
    nl: "Hallo!"
end"#,
        whole_bot: true,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unknown-name",
        severity: "error",
        summary: "A name is used that is not a slot, variable or parameter.",
        meaning: "In an expression (a condition, `{...}` in a text, an argument), a name must \
                  be a slot of the flow's forms, a variable set earlier with `set`, a `call` \
                  or `do` result, or a parameter of the flow.",
        why: "Usually a typo: the citizen would see an empty place where their answer \
              should be, or a rule would never hold.",
        mistake: r#"flow birth
  triggers en: "declare a birth"
  form
    slot child_birth_date: date
      ask en: "When was the child born?"
  end
  say en: "Born on {child_birthdate}."
end"#,
        fix: r#"flow birth
  triggers en: "declare a birth"
  form
    slot child_birth_date: date
      ask en: "When was the child born?"
  end
  say en: "Born on {child_birth_date}."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unknown-option",
        severity: "error",
        summary: "A choice slot is compared with a value that is not one of its options.",
        meaning: "A slot of a `choice` type holds the name of one of its options. Comparing it \
                  with another text can never be true.",
        why: "The branch or question guarded by the comparison would never run: citizens \
              choosing that option would skip it.",
        mistake: r#"choice card_kind
  option first en: "first card"
  option second en: "second card"
end

flow renewal
  triggers en: "renew card"
  form
    slot card: card_kind
      ask en: "First or second card?"
    slot note: text
      when card == "secnd"
      ask en: "Any remark?"
  end
  say en: "Thank you."
end"#,
        fix: r#"choice card_kind
  option first en: "first card"
  option second en: "second card"
end

flow renewal
  triggers en: "renew card"
  form
    slot card: card_kind
      ask en: "First or second card?"
    slot note: text
      when card == "second"
      ask en: "Any remark?"
  end
  say en: "Thank you."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unknown-table",
        severity: "error",
        summary: "`lookup` or `rows` names a table that is not declared.",
        meaning: "The first argument of `lookup` and `rows` is the name of a `table` \
                  declaration.",
        why: "The lookup would find nothing, and the citizen would be told there is no \
              answer.",
        mistake: r#"table tariffs from "tariffs.csv" (rank: text, price: money)

flow price
  triggers en: "price"
  set row = lookup(tarifs, "rank", "first")
  say en: "It costs {row.price}."
end"#,
        fix: r#"table tariffs from "tariffs.csv" (rank: text, price: money)

flow price
  triggers en: "price"
  set row = lookup(tariffs, "rank", "first")
  say en: "It costs {row.price}."
end"#,
        whole_bot: false,
        files: &[("tariffs.csv", TARIFFS, TARIFFS)],
        shell: false,
    },
    Explanation {
        code: "unknown-text",
        severity: "error",
        summary: "`say name` names a `text` that is not declared.",
        meaning: "A text declared once with `text name` can be said from several flows by its \
                  name.",
        why: "The citizen would get no answer where this text was meant.",
        mistake: r#"text opening_hours
  en: "The town hall is open from 8 am to 4 pm."

flow hours
  triggers en: "opening hours"
  say opening_hour
end"#,
        fix: r#"text opening_hours
  en: "The town hall is open from 8 am to 4 pm."

flow hours
  triggers en: "opening hours"
  say opening_hours
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unknown-type",
        severity: "error",
        summary:
            "A slot's type is neither built in nor a declared `choice`, or `like` names no slot.",
        meaning: "Slot types are the built-in ones (`date`, `email`, `iban`, ...) or a declared \
                  `choice`; `slot name like other` names a top-level `slot` declaration.",
        why: "guichet would not know how to read the citizen's answer.",
        mistake: r#"flow birth
  triggers en: "declare a birth"
  form
    slot child_birth_date: dat
      ask en: "When was the child born?"
  end
  say en: "Thank you."
end"#,
        fix: r#"flow birth
  triggers en: "declare a birth"
  form
    slot child_birth_date: date
      ask en: "When was the child born?"
  end
  say en: "Thank you."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unreachable",
        severity: "warning",
        summary: "Statements come after one that never lets the flow go on.",
        meaning: "`handoff`, `goto`, `stop`, `cancel`, `restart`, `close` and `return` end the \
                  flow there; statements after them in the same block never run.",
        why: "Whatever the author meant the citizen to read there (a reassurance, a \
              reference number) is never shown.",
        mistake: r#"flow help
  triggers en: "help"
  say en: "I am handing you over to a colleague."
  handoff asked_for_help
  say en: "A colleague will answer."
end"#,
        fix: r#"flow help
  triggers en: "help"
  say en: "I am handing you over to a colleague. A colleague will answer."
  handoff asked_for_help
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unreadable",
        severity: "error",
        summary: "The bot's path cannot be read, or its folder holds no `.flow` file.",
        meaning: "guichet loads a `.flow` file or a folder of them (with their CSV tables). The \
                  path does not exist, cannot be read, or is a folder without any `.flow` file.",
        why: "Nothing can be checked or run; in production, the host would start without a \
              bot.",
        mistake: r#"$ guichet check flow/
error: cannot read flow/: No such file or directory (os error 2)"#,
        fix: r#"$ guichet check flows/
flows/: 0 errors, 0 warnings"#,
        whole_bot: false,
        files: &[],
        shell: true,
    },
    Explanation {
        code: "untranslated-text",
        severity: "warning",
        summary: "A text without a language prefix is shown in a bot with several languages.",
        meaning: "`say \"...\"` without `fr:`/`nl:`/`en:` shows the same words in every \
                  language. That suits a value alone (`say \"{reference}\"`) but not words.",
        why: "Citizens would get French words in a Dutch conversation.",
        mistake: r#"bot "Commune de Bruyères"
  languages fr, nl
end

flow thanks
  triggers
    fr: "merci"
    nl: "bedankt"
  say "Merci !"
end"#,
        fix: r#"bot "Commune de Bruyères"
  languages fr, nl
end

flow thanks
  triggers
    fr: "merci"
    nl: "bedankt"
  say
    fr: "Merci !"
    nl: "Bedankt!"
end"#,
        whole_bot: true,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unused-action",
        severity: "warning",
        summary: "An action is declared but no flow does it.",
        meaning: "No `do` in the bot names this action.",
        why: "Often a sign that a flow forgot to send the citizen's request to the host: \
              the citizen is thanked, and nothing reaches the administration.",
        mistake: r#"action send_reminder(email: email)

flow reminder
  triggers en: "remind me"
  form
    slot email: email
      ask en: "Your e-mail address?"
  end
  say en: "We will remind you."
end"#,
        fix: r#"action send_reminder(email: email)

flow reminder
  triggers en: "remind me"
  form
    slot email: email
      ask en: "Your e-mail address?"
  end
  do send_reminder(email)
  say en: "We will remind you."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unused-flow",
        severity: "warning",
        summary:
            "A flow can never start: no trigger, button, `goto`, `call` or setting leads to it.",
        meaning: "A flow starts from its triggers, a button naming it, a `goto` or `call`, or \
                  the `start` and `fallback` settings. This one has none of these.",
        why: "The service it describes is invisible to citizens.",
        mistake: r#"flow hello
  triggers en: "hello"
  say en: "Hello!"
end

flow goodbye
  say en: "Goodbye!"
end"#,
        fix: r#"flow hello
  triggers en: "hello"
  say en: "Hello!"
end

flow goodbye
  triggers en: "goodbye", "bye"
  say en: "Goodbye!"
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "unused-slot",
        severity: "warning",
        summary: "A top-level `slot` is declared but no form uses it.",
        meaning: "Top-level slots are reusable questions, used with `slot name like other` in a \
                  form. No form uses this one.",
        why: "Often a form that should ask for this (a contact e-mail, a phone number) and \
              does not.",
        mistake: r#"slot contact_email: email
  ask en: "Your e-mail address?"
end

flow newsletter
  triggers en: "newsletter"
  say en: "You are subscribed."
end"#,
        fix: r#"slot contact_email: email
  ask en: "Your e-mail address?"
end

flow newsletter
  triggers en: "newsletter"
  form
    slot email like contact_email
  end
  say en: "You are subscribed."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "useless-prefer",
        severity: "warning",
        summary: "`prefer past` or `prefer future` is given to a slot that is not a date.",
        meaning: "`prefer` says how to read an ambiguous date (\"Tuesday\", \"3/5\"): in the \
                  past (a birth) or in the future (an appointment). It has no effect on other \
                  types.",
        why: "It suggests the slot was meant to be a date, or that the `prefer` belongs to \
              another slot.",
        mistake: r#"flow payment
  triggers en: "pay"
  form
    slot amount: money
      prefer past
      ask en: "How much?"
  end
  say en: "Thank you."
end"#,
        fix: r#"flow payment
  triggers en: "pay"
  form
    slot amount: money
      ask en: "How much?"
  end
  say en: "Thank you."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
    Explanation {
        code: "wrong-arity",
        severity: "error",
        summary: "A built-in function is called with the wrong number of arguments.",
        meaning: "Each built-in function takes a fixed number of arguments: `easter(year)`, \
                  `days_between(a, b)`, ...",
        why: "The text or rule using it could not be computed for any citizen.",
        mistake: r#"flow easter_date
  triggers en: "when is easter"
  say en: "Easter is on {easter()}."
end"#,
        fix: r#"flow easter_date
  triggers en: "when is easter"
  say en: "Easter is on {easter(year(today()))}."
end"#,
        whole_bot: false,
        files: &[],
        shell: false,
    },
];
