//! Incident bodies a build lets go of once the last reader has them ([`HeldBodies`]).
//!
//! A 100,000-incident briefing has over 500 MB of incident text. A build reads each body
//! twice after loading (its page and the search index), so it hands the bodies over here
//! (see `Site::release_texts`) and each is dropped as soon as both have read it, instead
//! of holding every file's text to the end of the render. `sitrep serve` keeps its texts
//! in the model and never uses this.

use std::sync::Mutex;

use crate::model::MarkdownText;

/// Bodies by incident index, each with the number of reads left before it is dropped.
/// Empty (the default) when the bodies are in the model.
#[derive(Debug, Default)]
pub struct HeldBodies {
    slots: Vec<Mutex<HeldSlot>>,
}

#[derive(Debug)]
struct HeldSlot {
    body: Option<MarkdownText>,
    reads_left: usize,
}

impl HeldBodies {
    /// Holds `bodies`, each for `reads` reads.
    pub fn new(bodies: Vec<MarkdownText>, reads: usize) -> HeldBodies {
        let slots = bodies
            .into_iter()
            .map(|body| {
                Mutex::new(HeldSlot {
                    body: Some(body),
                    reads_left: reads,
                })
            })
            .collect();
        HeldBodies { slots }
    }

    /// Whether the bodies are held here rather than in the model.
    pub fn is_holding(&self) -> bool {
        !self.slots.is_empty()
    }

    /// Reads body `i` (a shared handle: no copy) and counts the read: after the last one
    /// the body is no longer held here. `None` if `i` is not held or was read too often.
    pub fn read(&self, i: usize) -> Option<MarkdownText> {
        let mut slot = self.slots.get(i)?.lock().unwrap_or_else(|e| e.into_inner());
        slot.reads_left = slot.reads_left.saturating_sub(1);
        match slot.reads_left {
            0 => slot.body.take(),
            _ => slot.body.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_dropped_after_its_last_read() {
        let held = HeldBodies::new(vec!["one".into(), "two".into()], 2);
        assert!(held.is_holding());
        assert_eq!(held.read(0).as_deref(), Some("one"));
        assert_eq!(held.read(0).as_deref(), Some("one"));
        assert_eq!(held.read(0).as_deref(), None);
        assert_eq!(held.read(1).as_deref(), Some("two"));
        assert_eq!(held.read(2).as_deref(), None);
        assert!(!HeldBodies::default().is_holding());
    }
}
