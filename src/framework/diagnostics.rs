//! Diagnostics: the errors and warnings users see, each optionally pointing at an attribute.

use super::path::{AttrPath, PathStep};
use crate::proto::tfplugin5 as pb;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub summary: String,
    pub detail: String,
    /// Where in the configuration: Terraform underlines that expression.
    pub path: Option<AttrPath>,
}

impl Diagnostic {
    pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            summary: summary.into(),
            detail: detail.into(),
            path: None,
        }
    }

    pub fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            summary: summary.into(),
            detail: detail.into(),
            path: None,
        }
    }

    pub fn at(mut self, path: AttrPath) -> Diagnostic {
        self.path = Some(path);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// An ordered collection of diagnostics, the outcome of every call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::error(summary, detail));
    }

    pub fn error_at(
        &mut self,
        path: AttrPath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Diagnostic::error(summary, detail).at(path));
    }

    pub fn warning_at(
        &mut self,
        path: AttrPath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Diagnostic::warning(summary, detail).at(path));
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Diagnostics {
        Diagnostics(iter.into_iter().collect())
    }
}

// ---------------------------------------------------------------- protocol conversion

impl From<&AttrPath> for pb::AttributePath {
    fn from(path: &AttrPath) -> pb::AttributePath {
        use pb::attribute_path::step::Selector;
        let steps = path
            .steps()
            .iter()
            .map(|step| pb::attribute_path::Step {
                selector: Some(match step {
                    PathStep::Attribute(name) => Selector::AttributeName(name.clone()),
                    PathStep::Key(key) => Selector::ElementKeyString(key.clone()),
                    PathStep::Index(index) => Selector::ElementKeyInt(*index),
                }),
            })
            .collect();
        pb::AttributePath { steps }
    }
}

impl From<Diagnostic> for pb::Diagnostic {
    fn from(d: Diagnostic) -> pb::Diagnostic {
        let severity = match d.severity {
            Severity::Error => pb::diagnostic::Severity::Error,
            Severity::Warning => pb::diagnostic::Severity::Warning,
        };
        pb::Diagnostic {
            severity: severity as i32,
            summary: d.summary,
            detail: d.detail,
            attribute: d
                .path
                .as_ref()
                .filter(|p| !p.is_root())
                .map(pb::AttributePath::from),
        }
    }
}

impl Diagnostics {
    pub fn into_proto(self) -> Vec<pb::Diagnostic> {
        self.0.into_iter().map(pb::Diagnostic::from).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_steps_become_protocol_selectors() {
        use pb::attribute_path::step::Selector;
        let d = Diagnostic::error("bad", "detail").at(AttrPath::attr("subnet")
            .join_index(1)
            .join_attr("address_prefix"));
        let p: pb::Diagnostic = d.into();
        assert_eq!(p.severity, 1);
        let steps: Vec<_> = p
            .attribute
            .unwrap()
            .steps
            .into_iter()
            .map(|s| s.selector.unwrap())
            .collect();
        assert_eq!(
            steps,
            vec![
                Selector::AttributeName("subnet".into()),
                Selector::ElementKeyInt(1),
                Selector::AttributeName("address_prefix".into())
            ]
        );
        let w: pb::Diagnostic = Diagnostic::warning("w", "").into();
        assert_eq!((w.severity, w.attribute), (2, None));
    }

    #[test]
    fn errors_are_told_apart_from_warnings() {
        let mut diags = Diagnostics::new();
        diags.warning_at(AttrPath::attr("a"), "w", "");
        assert!(!diags.has_errors());
        diags.error("e", "");
        assert!(diags.has_errors());
    }
}
