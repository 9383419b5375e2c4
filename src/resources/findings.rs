//! The bridge between resource models and the pure rules: model values as the rules' facts, and the
//! rules' findings as Terraform diagnostics on the same attribute paths.

use crate::framework::{Attr, AttrPath, Diagnostic, Diagnostics};
use crate::rules::{Fact, FactList, Finding, PathStep, Severity};

/// A model value as a rule fact. Null counts as unknown: a rule can't check what is not there,
/// and Terraform itself reports a missing required attribute.
pub fn fact<T: Clone>(attr: &Attr<T>) -> Fact<T> {
    match attr {
        Attr::Known(v) => Fact::Known(v.clone()),
        Attr::Null | Attr::Unknown => Fact::Unknown,
    }
}

/// A list of strings whose elements may be unknown (address spaces).
pub fn fact_list(attr: &Attr<Vec<Attr<String>>>) -> FactList {
    fact(attr).map(|items| items.iter().map(fact).collect())
}

/// A list of known strings, as the service reports it.
pub fn known_list(items: &[String]) -> FactList {
    Fact::Known(items.iter().cloned().map(Fact::Known).collect())
}

fn path_of(path: &crate::rules::AttrPath) -> Option<AttrPath> {
    if path.is_root() {
        return None;
    }
    Some(
        path.steps()
            .iter()
            .fold(AttrPath::root(), |at, step| match step {
                PathStep::Attr(name) => at.join_attr(*name),
                PathStep::Index(i) => at.join_index(*i),
            }),
    )
}

pub fn diagnostic(finding: Finding) -> Diagnostic {
    let d = match finding.severity {
        Severity::Error => Diagnostic::error(finding.summary, finding.detail),
        Severity::Warning => Diagnostic::warning(finding.summary, finding.detail),
    };
    match path_of(&finding.path) {
        Some(path) => d.at(path),
        None => d,
    }
}

pub fn diagnostics(findings: impl IntoIterator<Item = Finding>) -> Diagnostics {
    findings.into_iter().map(diagnostic).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{check_local_network_gateway, LocalNetworkGatewayFacts};

    #[test]
    fn findings_keep_their_indexed_path_and_severity() {
        let facts = LocalNetworkGatewayFacts {
            name: Fact::Known("site".into()),
            ip_address: Fact::Known("23.39.1.2".into()),
            address_space: fact_list(&Attr::Known(vec![
                Attr::Known("10.1.0.0/16".into()),
                Attr::Known("10.2.0.1/16".into()),
                Attr::Unknown,
            ])),
        };
        let diags = diagnostics(check_local_network_gateway(&facts));
        let d = diags.iter().next().expect("a finding");
        assert!(d.is_error());
        assert!(d.summary.starts_with("NET-CIDR"), "{}", d.summary);
        assert_eq!(
            d.path.as_ref().map(ToString::to_string).as_deref(),
            Some("address_space[1]")
        );
        assert_eq!(diags.iter().count(), 1);
    }

    #[test]
    fn null_and_unknown_are_unknown_facts() {
        assert_eq!(fact::<String>(&Attr::Null), Fact::Unknown);
        assert_eq!(fact::<String>(&Attr::Unknown), Fact::Unknown);
        assert_eq!(fact_list(&Attr::Unknown), Fact::Unknown);
        assert_eq!(
            known_list(&["10.0.0.0/8".to_string()]),
            Fact::Known(vec![Fact::Known("10.0.0.0/8".to_string())])
        );
    }
}
