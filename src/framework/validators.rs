//! Reusable checks for `validate` hooks. Each checks only known values: unknown and null pass.

use super::attr::Attr;
use super::diagnostics::Diagnostics;
use super::duration::parse_duration;
use super::path::AttrPath;

/// The value must be one of `allowed` (exact, case-sensitive, as the service expects).
pub fn one_of(value: &Attr<String>, allowed: &[&str], path: AttrPath, diags: &mut Diagnostics) {
    if let Some(v) = value.known_str() {
        if !allowed.contains(&v) {
            diags.error_at(
                path.clone(),
                format!("Invalid value for {path}"),
                format!("{v:?} is not one of: {}.", allowed.join(", ")),
            );
        }
    }
}

/// The value must be a duration like `90m` (see [`parse_duration`]).
pub fn duration(value: &Attr<String>, path: AttrPath, diags: &mut Diagnostics) {
    if let Some(Err(e)) = value.known_str().map(parse_duration) {
        diags.error_at(
            path.clone(),
            format!("Invalid duration for {path}"),
            format!("{e}."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_values_are_checked() {
        let mut diags = Diagnostics::new();
        let allowed = ["Standard", "HighPerformance"];
        one_of(
            &Attr::Unknown,
            &allowed,
            AttrPath::attr("gateway_sku"),
            &mut diags,
        );
        one_of(
            &Attr::Null,
            &allowed,
            AttrPath::attr("gateway_sku"),
            &mut diags,
        );
        one_of(
            &Attr::Known("Standard".into()),
            &allowed,
            AttrPath::attr("gateway_sku"),
            &mut diags,
        );
        assert!(diags.is_empty());
        one_of(
            &Attr::Known("Basic".into()),
            &allowed,
            AttrPath::attr("gateway_sku"),
            &mut diags,
        );
        let d = diags.iter().next().unwrap();
        assert_eq!(d.path, Some(AttrPath::attr("gateway_sku")));
        assert!(d.detail.contains("\"Basic\""));
    }

    #[test]
    fn durations_are_checked_when_known() {
        let mut diags = Diagnostics::new();
        duration(
            &Attr::Known("90m".into()),
            AttrPath::attr("create"),
            &mut diags,
        );
        duration(&Attr::Unknown, AttrPath::attr("create"), &mut diags);
        assert!(diags.is_empty());
        duration(
            &Attr::Known("90 minutes".into()),
            AttrPath::attr("create"),
            &mut diags,
        );
        assert_eq!(
            diags.iter().next().and_then(|d| d.path.clone()),
            Some(AttrPath::attr("create"))
        );
    }
}
