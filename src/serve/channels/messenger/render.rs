//! A log event as Messenger messages: texts of at most 2,000 characters
//! cut at sentence ends, buttons as quick replies (at most 13, titles of
//! at most 20 characters) or else as a numbered list the citizen answers
//! with a number, links as URL buttons of the button template (at most 3
//! per template, text of at most 640 characters), images as attachments.

use crate::runtime::{Button, Link};
use crate::serve::channels::{numbered_list, MAX_QUICK_REPLIES, MAX_TITLE_CHARS};
use serde_json::{json, Value as Json};

/// The longest text message.
pub const MAX_TEXT_CHARS: usize = 2000;
/// The longest text of a button template.
pub const MAX_TEMPLATE_TEXT_CHARS: usize = 640;
/// URL buttons per template.
pub const MAX_URL_BUTTONS: usize = 3;

/// The `message` objects of one `say` or `notice` event, in order.
pub fn messages(event: &Json, lang: &str) -> Vec<Json> {
    let mut text = event
        .get("text")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_string();
    if event.get("from").and_then(Json::as_str) == Some("staff") {
        if let Some(name) = event.get("name").and_then(Json::as_str) {
            text = format!("{name} : {text}");
        }
    }
    let buttons: Vec<Button> = event
        .get("buttons")
        .and_then(|b| serde_json::from_value(b.clone()).ok())
        .unwrap_or_default();
    let links: Vec<Link> = event
        .get("links")
        .and_then(|b| serde_json::from_value(b.clone()).ok())
        .unwrap_or_default();
    let numbered = numbered_list(&buttons);
    if numbered {
        text.push_str("\n\n");
        for (i, b) in buttons.iter().enumerate() {
            text.push_str(&format!("{}. {}\n", i + 1, b.label));
        }
        text.push_str(hint(lang));
    }
    let mut out: Vec<Json> = Vec::new();
    let link_groups: Vec<&[Link]> = links.chunks(MAX_URL_BUTTONS).collect();
    let text_in_template = link_groups.len() == 1
        && !text.trim().is_empty()
        && text.chars().count() <= MAX_TEMPLATE_TEXT_CHARS;
    if !text_in_template {
        out.extend(
            split_text(&text, MAX_TEXT_CHARS)
                .into_iter()
                .map(|t| json!({"text": t})),
        );
    }
    for group in &link_groups {
        let t = if text_in_template {
            text.clone()
        } else {
            cut(
                &group
                    .iter()
                    .map(|l| l.label.as_str())
                    .collect::<Vec<_>>()
                    .join(" · "),
                MAX_TEMPLATE_TEXT_CHARS,
            )
        };
        let buttons: Vec<Json> = group
            .iter()
            .map(|l| json!({"type": "web_url", "url": l.url, "title": cut(&l.label, MAX_TITLE_CHARS)}))
            .collect();
        out.push(json!({"attachment": {"type": "template", "payload": {
            "template_type": "button", "text": t, "buttons": buttons}}}));
    }
    if let Some(url) = event
        .get("image")
        .and_then(|i| i.get("url"))
        .and_then(Json::as_str)
    {
        out.push(
            json!({"attachment": {"type": "image", "payload": {"url": url, "is_reusable": true}}}),
        );
    }
    if !buttons.is_empty() && !numbered {
        let replies: Vec<Json> = buttons
            .iter()
            .take(MAX_QUICK_REPLIES)
            .map(|b| json!({"content_type": "text", "title": b.label, "payload": b.payload}))
            .collect();
        if out.is_empty() {
            // Quick replies need a message to stand on.
            out.push(json!({"text": "…"}));
        }
        if let Some(Json::Object(last)) = out.last_mut() {
            last.insert("quick_replies".into(), Json::Array(replies));
        }
    }
    out
}

fn hint(lang: &str) -> &'static str {
    match lang {
        "nl" => "Antwoord met het nummer van uw keuze.",
        "en" => "Reply with the number of your choice.",
        _ => "Répondez avec le numéro de votre choix.",
    }
}

/// `s` cut to `max` characters, with an ellipsis when cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Cuts a text into pieces of at most `max` characters: at sentence ends
/// (and line ends) when it can, at spaces when one sentence is too long,
/// anywhere when one word is.
pub fn split_text(text: &str, max: usize) -> Vec<String> {
    let text = text.trim();
    if text.chars().count() <= max {
        return if text.is_empty() {
            Vec::new()
        } else {
            vec![text.to_string()]
        };
    }
    let mut pieces = Vec::new();
    let mut current = String::new();
    for sentence in sentences(text) {
        let fits = current.chars().count() + sentence.chars().count() <= max;
        if !fits && !current.trim().is_empty() {
            pieces.push(current.trim().to_string());
            current.clear();
        }
        if sentence.chars().count() <= max {
            current.push_str(sentence);
            continue;
        }
        for word in sentence.split_inclusive(char::is_whitespace) {
            if current.chars().count() + word.chars().count() > max && !current.trim().is_empty() {
                pieces.push(current.trim().to_string());
                current.clear();
            }
            if word.chars().count() > max {
                let chars: Vec<char> = word.chars().collect();
                for chunk in chars.chunks(max) {
                    pieces.push(chunk.iter().collect::<String>().trim().to_string());
                }
            } else {
                current.push_str(word);
            }
        }
    }
    if !current.trim().is_empty() {
        pieces.push(current.trim().to_string());
    }
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// The text's sentences with their ending punctuation and spaces.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end_mark = matches!(c, '.' | '!' | '?' | '…' | '\n');
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        if end_mark && next_is_space {
            let mut end = i + c.len_utf8();
            while let Some((j, n)) = chars.peek() {
                if n.is_whitespace() {
                    end = j + n.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_at_sentence_ends() {
        let sentence = "Les crèches accueillent les enfants de moins de trois ans. ";
        let text = sentence.repeat(45); // about 2,600 characters
        let pieces = split_text(&text, MAX_TEXT_CHARS);
        assert_eq!(pieces.len(), 2);
        assert!(pieces.iter().all(|p| p.chars().count() <= MAX_TEXT_CHARS));
        assert!(
            pieces[0].ends_with("ans."),
            "{}",
            &pieces[0][pieces[0].len() - 20..]
        );
        assert_eq!(pieces.join(" "), text.trim());
        // One word longer than the limit is cut anywhere.
        let word = "é".repeat(25);
        let pieces = split_text(&word, 10);
        assert_eq!(pieces, vec!["é".repeat(10), "é".repeat(10), "é".repeat(5)]);
    }

    #[test]
    fn buttons_that_do_not_fit_become_a_numbered_list() {
        let few = json!({"type": "say", "text": "Choisissez", "buttons": [
            {"label": "Oui", "payload": "yes"}, {"label": "Non", "payload": "no"}]});
        let m = messages(&few, "fr");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0]["quick_replies"][1]["payload"], "no");
        let long_title = json!({"type": "say", "text": "Choisissez", "buttons": [
            {"label": "Une étiquette beaucoup trop longue", "payload": "a"}, {"label": "Non", "payload": "no"}]});
        let m = messages(&long_title, "fr");
        assert!(m[0].get("quick_replies").is_none());
        let t = m[0]["text"].as_str().unwrap();
        assert!(
            t.contains("1. Une étiquette beaucoup trop longue\n2. Non"),
            "{t}"
        );
        assert!(t.ends_with("Répondez avec le numéro de votre choix."));
    }

    #[test]
    fn thirteen_buttons_are_still_quick_replies() {
        let buttons: Vec<Json> = (1..=13)
            .map(|i| json!({"label": format!("Choix {i}"), "payload": format!("c{i}")}))
            .collect();
        let e = json!({"type": "say", "text": "Lequel ?", "buttons": buttons});
        let m = messages(&e, "fr");
        assert_eq!(m[0]["quick_replies"].as_array().unwrap().len(), 13);
        let twenty = json!({"type": "say", "text": "?", "buttons": [
            {"label": "Exactement vingt car", "payload": "a"}]});
        assert!(messages(&twenty, "fr")[0]["quick_replies"].is_array());
    }

    #[test]
    fn links_become_url_buttons() {
        let e = json!({"type": "notice", "text": "Payez en ligne.", "links": [
            {"label": "Payer", "url": "https://pay.example/p/1"}]});
        let m = messages(&e, "fr");
        assert_eq!(m.len(), 1);
        let p = &m[0]["attachment"]["payload"];
        assert_eq!(p["template_type"], "button");
        assert_eq!(p["text"], "Payez en ligne.");
        assert_eq!(p["buttons"][0]["type"], "web_url");
        let staff = json!({"type": "say", "from": "staff", "name": "Marie", "text": "Bonjour"});
        assert_eq!(messages(&staff, "fr")[0]["text"], "Marie : Bonjour");
    }
}
