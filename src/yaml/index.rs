//! The position index: where each path's key and value start in a YAML text, scanned
//! with saphyr-parser's events only when a diagnostic needs a place.

use super::*;

/// What the index builder is inside of.
enum Frame {
    Map {
        path: YamlPath,
        pending_key: Option<(String, Pos)>,
    },
    Seq {
        path: YamlPath,
        next: usize,
    },
}

/// Scans `yaml` and records where each path's key and value start. Best effort: if the
/// scanner stops early, the positions found so far are kept (errors then point at ancestors).
pub(super) fn position_index(yaml: &str) -> HashMap<YamlPath, Located> {
    let mut index = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(yaml);
    let mut documents = 0;
    while let Some(Ok((event, span))) = parser.next_event() {
        let start = span.start;
        let pos = Pos {
            line: start.line(),
            column: start.col() + 1,
            len: span.end.index().saturating_sub(start.index()).max(1),
        };
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    break;
                }
            }
            Event::Scalar(text, ..) => {
                if let Some(Frame::Map { pending_key, .. }) = stack.last_mut()
                    && pending_key.is_none()
                {
                    *pending_key = Some((text.into_owned(), pos));
                    continue;
                }
                if let Some((path, key)) = child_path(&mut stack) {
                    index.insert(path, Located { key, value: pos });
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(event, Event::MappingStart(..));
                let path = match stack.last_mut() {
                    None => Some((Vec::new(), None)),
                    Some(Frame::Map {
                        pending_key: None,
                        path,
                    }) => {
                        // A complex key: index it under a placeholder and move on.
                        let mut p = path.clone();
                        p.push(Seg::Key(String::from("?")));
                        Some((p, None))
                    }
                    Some(_) => child_path(&mut stack),
                };
                if let Some((path, key)) = path {
                    index.insert(path.clone(), Located { key, value: pos });
                    stack.push(if is_map {
                        Frame::Map {
                            path,
                            pending_key: None,
                        }
                    } else {
                        Frame::Seq { path, next: 0 }
                    });
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::Alias(_) => {
                child_path(&mut stack);
            }
            _ => {}
        }
    }
    index
}

/// The path of the next value in the innermost container, advancing that container.
fn child_path(stack: &mut [Frame]) -> Option<(YamlPath, Option<Pos>)> {
    match stack.last_mut()? {
        Frame::Map { path, pending_key } => {
            let (key, key_pos) = pending_key.take()?;
            let mut p = path.clone();
            p.push(Seg::Key(key));
            Some((p, Some(key_pos)))
        }
        Frame::Seq { path, next } => {
            let mut p = path.clone();
            p.push(Seg::Index(*next));
            *next += 1;
            Some((p, None))
        }
    }
}
