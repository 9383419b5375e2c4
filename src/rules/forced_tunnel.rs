//! CX-FORCED-TUNNEL: no forced tunnelling (`default_site`) on the Site-to-Site VPN gateway of a
//! coexisting VNet.

use crate::rules::finding::{AttrPath, Explanation, Finding, RuleId};
use crate::rules::model::Fact;

pub fn check_forced_tunnel(
    default_site: &Fact<Option<String>>,
    coexisting: Fact<bool>,
) -> Option<Finding> {
    let site = default_site.known()?.as_ref()?;
    coexisting.is_true().then(|| {
        Finding::error(
            RuleId::ForcedTunnel,
            AttrPath::of("default_site"),
            "forced tunnelling cannot be enabled on the VPN gateway of a VNet connected to \
             ExpressRoute",
            Explanation {
                value: &format!("default_site is {site:?}."),
                why: "Where ExpressRoute and Site-to-Site VPN coexist, Internet-bound traffic can \
                      only be forced back on-premises through ExpressRoute, not the VPN gateway.",
                fix: "remove default_site; advertise a default route over ExpressRoute instead.",
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    #[test]
    fn forced_tunnel_table() {
        let site = Fact::Known(Some("MyLocalNetwork".to_owned()));
        let cases = [
            (
                site.clone(),
                Fact::Known(true),
                Some(pair("CX-FORCED-TUNNEL", "default_site")),
            ),
            (site.clone(), Fact::Known(false), None),
            (site, Fact::Unknown, None),
            (Fact::Known(None), Fact::Known(true), None),
            (Fact::Unknown, Fact::Known(true), None),
        ];
        for (default_site, coexisting, want) in cases {
            assert_eq!(
                id(&check_forced_tunnel(&default_site, coexisting)),
                want,
                "{default_site:?}"
            );
        }
    }
}
