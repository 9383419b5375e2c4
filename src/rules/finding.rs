//! What a rule reports: a finding with its rule id, severity, the attribute it is about and a message
//! in the user's terms. Protocol-free: the provider turns findings into Terraform diagnostics, the
//! emulator into API errors.

use std::fmt;

/// The rule ids of design.md section 3 (plus `CX-CIRCUIT`, the circuit gating of a link).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleId {
    GatewaySubnet,
    GatewaySubnetWarn,
    Sku,
    Routing,
    PointToSite,
    ForcedTunnel,
    Order,
    Dedicated,
    Transit,
    Resize,
    Circuit,
    NetCidr,
    NetNames,
}

impl RuleId {
    pub const ALL: [RuleId; 13] = [
        RuleId::GatewaySubnet,
        RuleId::GatewaySubnetWarn,
        RuleId::Sku,
        RuleId::Routing,
        RuleId::PointToSite,
        RuleId::ForcedTunnel,
        RuleId::Order,
        RuleId::Dedicated,
        RuleId::Transit,
        RuleId::Resize,
        RuleId::Circuit,
        RuleId::NetCidr,
        RuleId::NetNames,
    ];

    /// The id exactly as written in the rule table.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::GatewaySubnet => "CX-GWSUBNET",
            RuleId::GatewaySubnetWarn => "CX-GWSUBNET-WARN",
            RuleId::Sku => "CX-SKU",
            RuleId::Routing => "CX-ROUTING",
            RuleId::PointToSite => "CX-P2S",
            RuleId::ForcedTunnel => "CX-FORCED-TUNNEL",
            RuleId::Order => "CX-ORDER",
            RuleId::Dedicated => "CX-DEDICATED",
            RuleId::Transit => "CX-TRANSIT",
            RuleId::Resize => "CX-RESIZE",
            RuleId::Circuit => "CX-CIRCUIT",
            RuleId::NetCidr => "NET-CIDR",
            RuleId::NetNames => "NET-NAMES",
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One step of an attribute path: an attribute (or nested block) name, or a list index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PathStep {
    Attr(&'static str),
    Index(usize),
}

/// A path to an attribute, relative to the resource being checked, e.g. `subnet[1].address_prefix`.
/// The empty path means the resource as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AttrPath(Vec<PathStep>);

impl AttrPath {
    pub fn root() -> Self {
        AttrPath(Vec::new())
    }

    /// Shorthand for a top-level attribute.
    pub fn of(name: &'static str) -> Self {
        Self::root().attr(name)
    }

    pub fn attr(mut self, name: &'static str) -> Self {
        self.0.push(PathStep::Attr(name));
        self
    }

    pub fn index(mut self, index: usize) -> Self {
        self.0.push(PathStep::Index(index));
        self
    }

    pub fn steps(&self) -> &[PathStep] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Attr(name) if i == 0 => f.write_str(name)?,
                PathStep::Attr(name) => write!(f, ".{name}")?,
                PathStep::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// The three parts of a finding's detail: the offending value, why the procedure forbids it (one
/// line), and how to fix it. Kept apart so every message has all three.
#[derive(Clone, Copy, Debug)]
pub struct Explanation<'a> {
    pub value: &'a str,
    pub why: &'a str,
    pub fix: &'a str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub path: AttrPath,
    /// Starts with the rule id, e.g. `CX-SKU: ...`.
    pub summary: String,
    /// The value, why (from the procedure) and the fix.
    pub detail: String,
}

impl Finding {
    pub fn new(
        rule: RuleId,
        severity: Severity,
        path: AttrPath,
        summary: &str,
        explanation: Explanation<'_>,
    ) -> Self {
        let Explanation { value, why, fix } = explanation;
        Finding {
            rule,
            severity,
            path,
            summary: format!("{}: {summary}", rule.as_str()),
            detail: format!("{value} {why} Fix: {fix}"),
        }
    }

    pub fn error(
        rule: RuleId,
        path: AttrPath,
        summary: &str,
        explanation: Explanation<'_>,
    ) -> Self {
        Self::new(rule, Severity::Error, path, summary, explanation)
    }

    pub fn warning(
        rule: RuleId,
        path: AttrPath,
        summary: &str,
        explanation: Explanation<'_>,
    ) -> Self {
        Self::new(rule, Severity::Warning, path, summary, explanation)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_root() {
            write!(f, "{} {}", self.summary, self.detail)
        } else {
            write!(f, "{} (at {}) {}", self.summary, self.path, self.detail)
        }
    }
}

/// True when any finding is an error: what blocks a plan or an API call.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_spelled_as_in_the_table() {
        let ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            ids,
            [
                "CX-GWSUBNET",
                "CX-GWSUBNET-WARN",
                "CX-SKU",
                "CX-ROUTING",
                "CX-P2S",
                "CX-FORCED-TUNNEL",
                "CX-ORDER",
                "CX-DEDICATED",
                "CX-TRANSIT",
                "CX-RESIZE",
                "CX-CIRCUIT",
                "NET-CIDR",
                "NET-NAMES",
            ]
        );
    }

    #[test]
    fn paths_render_like_terraform_attribute_paths() {
        let cases = [
            (AttrPath::root(), ""),
            (AttrPath::of("gateway_sku"), "gateway_sku"),
            (AttrPath::of("address_space").index(0), "address_space[0]"),
            (
                AttrPath::of("subnet").index(1).attr("address_prefix"),
                "subnet[1].address_prefix",
            ),
        ];
        for (path, want) in cases {
            assert_eq!(path.to_string(), want);
        }
    }

    #[test]
    fn summary_starts_with_the_rule_id_and_detail_has_value_why_and_fix() {
        let f = Finding::error(
            RuleId::Sku,
            AttrPath::of("gateway_sku"),
            "bad sku",
            Explanation {
                value: "gateway_sku is \"Default\".",
                why: "Basic is not supported.",
                fix: "use Standard.",
            },
        );
        assert_eq!(f.summary, "CX-SKU: bad sku");
        assert_eq!(
            f.detail,
            "gateway_sku is \"Default\". Basic is not supported. Fix: use Standard."
        );
        assert!(f.is_error());
        assert!(has_errors(&[f]));
    }
}
