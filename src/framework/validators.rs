//! Reusable checks for `validate` hooks. Each checks only known values: unknown and null pass.

use super::attr::Attr;
use super::diagnostics::Diagnostics;
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
}
