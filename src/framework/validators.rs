//! Reusable checks for `validate` hooks. Each checks only known values: unknown and null pass.

use super::attr::Attr;
use super::diagnostics::Diagnostics;
use super::duration::parse_duration;
use super::path::AttrPath;

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
