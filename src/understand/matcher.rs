//! Placeholder with the agreed API; replaced by the real matcher.
use crate::understand::Input;
use crate::values::Lang;
pub struct TriggerSpec {
    pub target: usize,
    pub lang: Lang,
    pub pattern: String,
}
#[derive(Default)]
pub struct Synonyms {}
impl Synonyms {
    pub fn new() -> Self {
        Synonyms {}
    }
    pub fn add_group(&mut self, _lang: Lang, _words: &[String]) {}
}
#[derive(Debug, Clone, PartialEq)]
pub struct PatternError {
    pub message: String,
    pub offset: usize,
}
#[derive(Debug, Default)]
pub struct TriggerIndex {
    specs: Vec<(usize, Lang, String)>,
}
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub target: usize,
    pub spec: usize,
    pub score: f32,
    pub matched_words: Vec<String>,
    pub missing_words: Vec<String>,
    pub explanation: String,
}
pub const MATCH_THRESHOLD: f32 = 0.6;
pub const SUGGEST_THRESHOLD: f32 = 0.3;
impl TriggerIndex {
    pub fn build(
        specs: &[TriggerSpec],
        _s: &Synonyms,
    ) -> (TriggerIndex, Vec<(usize, PatternError)>) {
        (
            TriggerIndex {
                specs: specs
                    .iter()
                    .map(|s| {
                        (
                            s.target,
                            s.lang,
                            crate::understand::normalize::fold(&s.pattern),
                        )
                    })
                    .collect(),
            },
            vec![],
        )
    }
    pub fn find(&self, input: &Input, _lang: Option<Lang>, limit: usize) -> Vec<Match> {
        let mut out: Vec<Match> = self
            .specs
            .iter()
            .enumerate()
            .filter_map(|(i, (t, _, p))| {
                let words: Vec<&str> = p
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.len() > 2)
                    .collect();
                if words.is_empty() {
                    return None;
                }
                let hit = words
                    .iter()
                    .filter(|w| input.tokens.iter().any(|t| t.text == **w))
                    .count();
                let score = hit as f32 / words.len() as f32;
                (score > 0.0).then(|| Match {
                    target: *t,
                    spec: i,
                    score,
                    matched_words: vec![],
                    missing_words: vec![],
                    explanation: format!("pattern `{p}` score {score:.2}"),
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        out.truncate(limit);
        out
    }
    pub fn len(&self) -> usize {
        self.specs.len()
    }
    pub fn is_empty(&self) -> bool {
        self.specs.is_empty()
    }
}
pub fn hidden_triggers(_index: &TriggerIndex) -> Vec<(usize, usize)> {
    vec![]
}
