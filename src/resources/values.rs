//! Enum attributes checked against the classic API's values, which the rules module owns.

use crate::framework::{Attr, AttrPath, Diagnostics};
use crate::rules::{parse_exact, StringEnum};

/// A known value must be exactly one of `T`'s values (unknown and null pass: checked again later).
pub fn check_enum<T: StringEnum>(value: &Attr<String>, path: AttrPath, diags: &mut Diagnostics) {
    if let Some(Err(e)) = value.known_str().map(parse_exact::<T>) {
        diags.error_at(
            path.clone(),
            format!("Invalid value for {path}"),
            format!("{e}."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Sku;

    #[test]
    fn only_known_values_are_checked_and_the_error_names_the_valid_ones() {
        let mut diags = Diagnostics::new();
        check_enum::<Sku>(&Attr::Unknown, AttrPath::attr("gateway_sku"), &mut diags);
        check_enum::<Sku>(&Attr::Null, AttrPath::attr("gateway_sku"), &mut diags);
        check_enum::<Sku>(
            &Attr::Known("Standard".into()),
            AttrPath::attr("gateway_sku"),
            &mut diags,
        );
        assert!(diags.is_empty());
        check_enum::<Sku>(
            &Attr::Known("standard".into()),
            AttrPath::attr("gateway_sku"),
            &mut diags,
        );
        let d = diags.iter().next().expect("an error");
        assert_eq!(d.path, Some(AttrPath::attr("gateway_sku")));
        assert!(
            d.detail.contains("HighPerformance") && d.detail.contains("did you mean \"Standard\""),
            "{}",
            d.detail
        );
    }
}
