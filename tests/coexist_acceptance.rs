//! The coexistence procedure with the real Terraform against the emulator: the first path with the
//! example configuration, import, drift, refusals at plan, and the GatewaySubnet resize of the second
//! path done in one apply.

mod support;

use azureclassic::asm::xml::netcfg::{
    ConnectionType, GatewayConfig, LocalNetworkSiteRef, NetworkConfiguration, SiteLocation, Subnet,
    VirtualNetworkSite,
};
use support::netcfg::{compact, EXISTING};
use support::stack::{assert_in_order, Stack, CIRCUIT_KEY};
use support::terraforms;

const VNET: &str = "MyAzureVNET";
const GATEWAY_SUBNET_27: &str = "10.17.159.224/27";
const GATEWAY_SUBNET_28: &str = "10.17.159.240/28";

fn netcfg() -> String {
    "PUT /services/networking/media".to_string()
}

fn expressroute_gateway() -> String {
    format!("POST /services/networking/{VNET}/gateway")
}

fn circuit_link(method: &str) -> String {
    format!("{method} /services/networking/dedicatedcircuits/{CIRCUIT_KEY}/vnets/{VNET}")
}

fn vpn_gateway() -> String {
    format!("POST /services/networking/{VNET}/virtualnetworkgateways")
}

/// A VNet someone made by hand, with its own ExpressRoute reference: Terraform must never touch it.
fn unmanaged_site() -> VirtualNetworkSite {
    VirtualNetworkSite {
        name: "HandMadeVNet".into(),
        location: SiteLocation::Location("West Europe".into()),
        address_space: vec!["10.50.0.0/16".into()],
        subnets: vec![Subnet {
            name: "GatewaySubnet".into(),
            address_prefix: "10.50.255.0/27".into(),
        }],
        gateway: Some(GatewayConfig {
            vpn_client_address_pool: vec![],
            connections: vec![LocalNetworkSiteRef {
                name: "OtherCircuit".into(),
                connection_type: ConnectionType::Dedicated,
            }],
        }),
    }
}

/// The procedure's ExpressRoute side (steps 1 to 4 of path 1) with the given GatewaySubnet, and
/// the VPN gateway when `vpn` holds its extra attributes (`None`: no VPN gateway).
fn expressroute_side(gateway_subnet: &str, vpn: Option<&str>) -> String {
    let mut config = network_only(&format!(
        r#"subnet {{
    name           = "GatewaySubnet"
    address_prefix = "{gateway_subnet}"
  }}
  local_network_site_ref {{
    name            = "MyLocalNetwork"
    connection_type = "Dedicated"
  }}"#
    ));
    config.push_str(&format!(
        r#"
resource "azureclassic_virtual_network_gateway" "expressroute" {{
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = "ExpressRoute"
  gateway_sku          = "HighPerformance"
}}

resource "azureclassic_dedicated_circuit_link" "expressroute" {{
  service_key             = "{CIRCUIT_KEY}"
  virtual_network_name    = azureclassic_virtual_network.vnet.name
  expressroute_gateway_id = azureclassic_virtual_network_gateway.expressroute.id
}}
"#
    ));
    if let Some(extra) = vpn {
        config.push_str(&format!(
            r#"
resource "azureclassic_virtual_network_gateway" "vpn" {{
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = "Vpn"
  name                 = "S2SVPN"
  {extra}
}}
"#
        ));
    }
    config
}

const VPN_AFTER_LINK: &str = r#"gateway_sku = "HighPerformance"
  expressroute_circuit_link_id = azureclassic_dedicated_circuit_link.expressroute.id"#;

#[test]
fn new_vnet_path_builds_the_stack_in_the_procedures_order_and_destroy_removes_exactly_it() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        let before = stack.outside_terraform(|client, ctx| async move {
            client
                .update_network_config(&ctx, |doc| {
                    *doc = NetworkConfiguration::parse(EXISTING).map_err(|_| ())?;
                    Ok::<(), ()>(())
                })
                .await
                .expect("hand-made network configuration written");
            client.get_network_config(&ctx).await.expect("netcfg")
        });
        stack.use_example(
            "examples/coexisting-new-vnet",
            &[
                ("circuit_service_key", CIRCUIT_KEY),
                ("shared_key", "never-printed-7f3a"),
            ],
        );
        let before_apply = stack.request_count();
        let out = stack.apply();
        assert!(!out.all().contains("never-printed-7f3a"), "{}", out.all());

        // The procedure's order: network configuration, ExpressRoute gateway, circuit link, VPN
        // gateway, then the connection.
        let applied = stack.mutating_requests_since(before_apply);
        assert_in_order(
            &applied,
            &[
                &netcfg(),
                &expressroute_gateway(),
                &circuit_link("POST"),
                &vpn_gateway(),
                "POST /services/networking/gatewayconnections",
            ],
        );
        let outputs = stack.outputs();
        for vip in ["expressroute_gateway_vip", "vpn_gateway_vip"] {
            let value = outputs[vip].as_str().unwrap_or_default();
            assert!(
                value.parse::<std::net::Ipv4Addr>().is_ok(),
                "{vip} = {value:?} ({})",
                tf.version
            );
        }
        assert_eq!(outputs["circuit_link_state"], "Provisioned");
        assert!(outputs["vnet_id"].as_str().is_some_and(|id| id.len() == 36));

        stack.assert_clean_plan();

        let before_destroy = stack.request_count();
        stack.destroy();
        let destroyed = stack.mutating_requests_since(before_destroy);
        assert_in_order(
            &destroyed,
            &[
                &circuit_link("DELETE"),
                &format!("DELETE /services/networking/{VNET}/gateway"),
                &netcfg(),
            ],
        );
        let creates = destroyed.iter().filter(|r| r.starts_with("POST")).count();
        assert_eq!(creates, 0, "{destroyed:#?}");

        // Everything Terraform did not create is as it was: DNS, the local site, the hand-made VNet
        // with its DNS reference and Dedicated reference.
        let (after, vpn_gateways) = stack.outside_terraform(|client, ctx| async move {
            let config = client.get_network_config(&ctx).await.expect("netcfg");
            let gateways = client.list_vpn_gateways(&ctx).await.expect("gateways");
            (config, gateways)
        });
        assert_eq!(
            compact(&after.normalized()),
            compact(&before.normalized()),
            "{}",
            tf.version
        );
        assert!(vpn_gateways.is_empty(), "{vpn_gateways:?}");
    }
}

#[test]
fn each_expressroute_side_resource_imports_to_a_clean_plan() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        stack.write_config(&expressroute_side(GATEWAY_SUBNET_27, Some(VPN_AFTER_LINK)));
        stack.apply();
        let resources = stack.resources();
        let id_of = |address: &str| {
            resources[address]["id"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        let imports = [
            (
                "azureclassic_virtual_network.vnet",
                id_of("azureclassic_virtual_network.vnet"),
            ),
            (
                "azureclassic_virtual_network_gateway.expressroute",
                id_of("azureclassic_virtual_network_gateway.expressroute"),
            ),
            (
                "azureclassic_dedicated_circuit_link.expressroute",
                format!("{CIRCUIT_KEY}/{VNET}"),
            ),
            (
                "azureclassic_virtual_network_gateway.vpn",
                id_of("azureclassic_virtual_network_gateway.vpn"),
            ),
        ];
        for (address, _) in &imports {
            stack.ok(&["state", "rm", address]);
        }
        for (address, id) in &imports {
            stack.import(address, id);
        }
        assert_eq!(stack.resources(), resources, "{}", tf.version);
        stack.assert_clean_plan();
    }
}

#[test]
fn a_gateway_deleted_outside_terraform_is_planned_again() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        stack.write_config(&expressroute_side(GATEWAY_SUBNET_27, Some(VPN_AFTER_LINK)));
        stack.apply();
        let id = stack.resources()["azureclassic_virtual_network_gateway.vpn"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        stack.outside_terraform(|client, ctx| async move {
            client
                .delete_vpn_gateway(&ctx, &id)
                .await
                .expect("deleted by hand")
        });
        let out = stack.plan();
        assert_eq!(out.code, Some(2), "{}", out.all());
        assert!(
            out.stdout
                .contains("azureclassic_virtual_network_gateway.vpn will be created"),
            "{}",
            out.all()
        );
        assert!(
            out.stdout
                .contains("Plan: 1 to add, 0 to change, 0 to destroy."),
            "{}",
            out.all()
        );
    }
}

#[test]
fn broken_coexistence_is_refused_at_plan_with_the_rule_and_no_change_to_the_service() {
    let cases = [
        (
            "a /28 GatewaySubnet with a VPN gateway",
            expressroute_side(GATEWAY_SUBNET_28, Some(VPN_AFTER_LINK)),
            [
                "CX-GWSUBNET:",
                "virtual_network_name = azureclassic_virtual_network.vnet.name",
            ],
        ),
        (
            "a Basic SKU VPN gateway",
            expressroute_side(
                GATEWAY_SUBNET_27,
                Some(
                    r#"gateway_sku = "Default"
  expressroute_circuit_link_id = azureclassic_dedicated_circuit_link.expressroute.id"#,
                ),
            ),
            ["CX-SKU:", r#"gateway_sku = "Default""#],
        ),
        (
            "a VPN gateway without the circuit link before it",
            expressroute_side(
                GATEWAY_SUBNET_27,
                Some(r#"gateway_sku = "HighPerformance""#),
            ),
            [
                "CX-ORDER:",
                r#"resource "azureclassic_virtual_network_gateway" "vpn""#,
            ],
        ),
    ];
    for tf in terraforms() {
        for (what, config, expected) in &cases {
            let stack = Stack::new(&tf, &[]);
            stack.write_config(config);
            let out = stack.plan();
            println!("{what} ({}): refused", tf.version);
            stack.assert_refused(&out, expected);
        }
    }
}

#[test]
fn resizing_a_28_gateway_subnet_replaces_the_gateways_around_an_in_place_vnet_update() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        // An ExpressRoute-only VNet on a /28 GatewaySubnet: allowed, with a warning.
        stack.write_config(&expressroute_side(GATEWAY_SUBNET_28, None));
        let out = stack.apply();
        assert!(
            out.stdout.contains("CX-GWSUBNET-WARN") || out.stderr.contains("CX-GWSUBNET-WARN"),
            "{}",
            out.all()
        );

        // Coexistence: resize to /27 and add the VPN gateway.
        stack.write_config(&expressroute_side(GATEWAY_SUBNET_27, Some(VPN_AFTER_LINK)));
        // The downtime is visible: the gateways are replaced, and the plan says why.
        let shown = stack.plan();
        assert_eq!(shown.code, Some(2), "{}", shown.all());
        for expected in [
            "azureclassic_virtual_network_gateway.expressroute must be replaced",
            "azureclassic_dedicated_circuit_link.expressroute must be replaced",
            "azureclassic_virtual_network.vnet will be updated in-place",
            "# forces replacement",
            "CX-RESIZE",
        ] {
            assert!(
                shown.all().contains(expected),
                "missing {expected:?}: {}",
                shown.all()
            );
        }
        let plan = stack.plan_json();
        let actions = |address: &str| -> Vec<String> {
            plan["resource_changes"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["address"] == address)
                .map(|c| {
                    c["change"]["actions"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|a| a.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(actions("azureclassic_virtual_network.vnet"), ["update"]);
        for replaced in [
            "azureclassic_virtual_network_gateway.expressroute",
            "azureclassic_dedicated_circuit_link.expressroute",
        ] {
            assert_eq!(
                actions(replaced),
                ["delete", "create"],
                "{replaced} ({})",
                tf.version
            );
        }
        assert_eq!(
            actions("azureclassic_virtual_network_gateway.vpn"),
            ["create"]
        );

        let before = stack.request_count();
        stack.ok(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "tfplan",
        ]);
        let applied = stack.mutating_requests_since(before);
        println!("Terraform {} resize order: {applied:#?}", tf.version);
        assert_in_order(
            &applied,
            &[
                &circuit_link("DELETE"),
                &format!("DELETE /services/networking/{VNET}/gateway"),
                &netcfg(),
                &expressroute_gateway(),
                &circuit_link("POST"),
                &vpn_gateway(),
            ],
        );
        stack.assert_clean_plan();
    }
}

/// A VNet alone, as in step 1, with `extra` blocks or attributes inside it.
fn network_only(extra: &str) -> String {
    format!(
        r#"
resource "azureclassic_virtual_network" "vnet" {{
  name          = "{VNET}"
  location      = "Central US"
  address_space = ["10.17.159.192/26"]
  subnet {{
    name           = "Subnet-1"
    address_prefix = "10.17.159.192/27"
  }}
  {extra}
}}
"#
    )
}

fn site_in_service(stack: &Stack, name: &'static str) -> Option<VirtualNetworkSite> {
    stack.outside_terraform(|client, ctx| async move {
        let config = client.get_network_config(&ctx).await.expect("netcfg");
        config.virtual_network_site(name)
    })
}

#[test]
fn a_virtual_network_is_updated_in_place_follows_drift_and_refuses_an_existing_name() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        stack.write_config(&network_only(
            r#"vpn_client_address_pool = ["172.16.0.0/24"]"#,
        ));
        stack.apply();
        stack.assert_clean_plan();

        // In place: address space, subnets, site references and the client pool.
        stack.write_config(&network_only(
            r#"subnet {
    name           = "GatewaySubnet"
    address_prefix = "10.17.159.224/27"
  }
  local_network_site_ref {
    name = "Branch"
  }
  vpn_client_address_pool = ["172.16.1.0/24"]"#,
        ));
        let out = stack.apply();
        assert!(
            out.stdout.contains("0 added, 1 changed, 0 destroyed"),
            "{}",
            out.all()
        );
        let site = site_in_service(&stack, VNET).expect("the VNet");
        assert_eq!(site.subnets.len(), 2);
        let gateway = site.gateway.expect("site references and pool");
        assert_eq!(gateway.vpn_client_address_pool, ["172.16.1.0/24"]);
        assert_eq!(gateway.connections[0].name, "Branch");
        stack.assert_clean_plan();

        // Changed outside Terraform: the plan puts it back.
        stack.outside_terraform(|client, ctx| async move {
            client
                .update_network_config(&ctx, |doc| {
                    let mut site = doc.virtual_network_site(VNET).ok_or(())?;
                    site.subnets.pop();
                    doc.upsert_virtual_network_site(&site);
                    Ok::<(), ()>(())
                })
                .await
                .expect("changed by hand")
        });
        let out = stack.plan();
        assert_eq!(out.code, Some(2), "{}", out.all());
        assert!(
            out.stdout.contains("will be updated in-place"),
            "{}",
            out.all()
        );

        // Deleted outside Terraform: the plan creates it again.
        stack.outside_terraform(|client, ctx| async move {
            client
                .update_network_config(&ctx, |doc| {
                    doc.remove_virtual_network_site(VNET);
                    Ok::<(), ()>(())
                })
                .await
                .expect("deleted by hand")
        });
        let out = stack.plan();
        assert!(
            out.stdout
                .contains("azureclassic_virtual_network.vnet will be created"),
            "{}",
            out.all()
        );
        stack.apply();

        // A name the subscription already has is refused, with the import command.
        let other = Stack::new(&tf, &[]);
        other.outside_terraform(|client, ctx| async move {
            client
                .update_network_config(&ctx, |doc| {
                    let mut site = unmanaged_site();
                    site.name = VNET.to_string();
                    doc.upsert_virtual_network_site(&site);
                    Ok::<(), ()>(())
                })
                .await
                .expect("hand-made VNet written")
        });
        other.write_config(&network_only(""));
        let out = other
            .ws
            .terraform(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        assert_eq!(out.code, Some(1), "{}", out.all());
        // Terraform wraps long details: compare with the line breaks undone.
        let unwrapped = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            unwrapped.contains(&format!(
                "terraform import azureclassic_virtual_network.<NAME> {VNET}"
            )),
            "{}",
            out.all()
        );
        assert_eq!(
            site_in_service(&other, VNET).map(|s| s.subnets),
            Some(unmanaged_site().subnets)
        );
    }
}

#[test]
fn a_gateway_sku_is_resized_in_place() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        stack.write_config(&expressroute_side(GATEWAY_SUBNET_27, None));
        stack.apply();
        stack.write_config(&expressroute_side(GATEWAY_SUBNET_27, None).replace(
            r#"gateway_sku          = "HighPerformance""#,
            r#"gateway_sku          = "Standard""#,
        ));
        let before = stack.request_count();
        let out = stack.apply();
        assert!(
            out.stdout.contains("0 added, 1 changed, 0 destroyed"),
            "{}",
            out.all()
        );
        assert_eq!(
            stack.mutating_requests_since(before),
            [format!("PATCH /services/networking/{VNET}/gateway")]
        );
        let resources = stack.resources();
        assert_eq!(
            resources["azureclassic_virtual_network_gateway.expressroute"]["gateway_sku"],
            "Standard"
        );
        stack.assert_clean_plan();
    }
}

/// The VPN gateway of the procedure's step 6 added to an ExpressRoute VNet that Terraform does not
/// manage: its /28 GatewaySubnet comes from the service, and the plan refuses.
#[test]
fn a_vpn_gateway_for_a_vnet_outside_the_configuration_is_checked_against_the_service() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        stack.write_config(&expressroute_side(GATEWAY_SUBNET_28, None));
        stack.apply();
        for address in [
            "azureclassic_dedicated_circuit_link.expressroute",
            "azureclassic_virtual_network_gateway.expressroute",
            "azureclassic_virtual_network.vnet",
        ] {
            stack.ok(&["state", "rm", address]);
        }
        stack.write_config(&format!(
            r#"
resource "azureclassic_virtual_network_gateway" "vpn" {{
  virtual_network_name         = "{VNET}"
  type                         = "Vpn"
  name                         = "S2SVPN"
  gateway_sku                  = "HighPerformance"
  expressroute_circuit_link_id = "{CIRCUIT_KEY}/{VNET}"
}}
"#
        ));
        let before = stack.request_count();
        let out = stack.plan();
        assert_eq!(out.code, Some(1), "{}", out.all());
        assert!(out.stderr.contains("CX-GWSUBNET:"), "{}", out.all());
        assert_eq!(stack.mutating_requests_since(before), Vec::<String>::new());
    }
}

#[test]
fn a_link_to_a_circuit_its_provider_has_not_provisioned_is_refused_at_plan() {
    for tf in terraforms() {
        let unprovisioned = "0f0e0d0c-0b0a-4908-8706-050403020100";
        let circuit = format!("--circuit={unprovisioned}=NotProvisioned");
        let stack = Stack::new(&tf, &[&circuit]);
        stack.write_config(&expressroute_side(GATEWAY_SUBNET_27, None));
        stack.ok(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-target=azureclassic_virtual_network_gateway.expressroute",
        ]);
        stack.write_config(
            &expressroute_side(GATEWAY_SUBNET_27, None).replace(CIRCUIT_KEY, unprovisioned),
        );
        let before = stack.request_count();
        let out = stack.plan();
        assert_eq!(out.code, Some(1), "{}", out.all());
        assert!(
            out.stderr
                .contains("CX-CIRCUIT: the ExpressRoute circuit is not provisioned"),
            "{}",
            out.all()
        );
        assert!(out.stderr.contains("service_key"), "{}", out.all());
        assert_eq!(stack.mutating_requests_since(before), Vec::<String>::new());
    }
}

#[test]
fn a_gateway_create_is_bounded_by_its_timeout() {
    for tf in terraforms() {
        // The service takes a minute to provision; the configuration allows three seconds.
        let stack = Stack::new(&tf, &["--op-delay=gateway-create=60s"]);
        stack.write_config(&expressroute_side(GATEWAY_SUBNET_27, None).replace(
            r#"gateway_sku          = "HighPerformance""#,
            "gateway_sku          = \"HighPerformance\"\n  timeouts {\n    create = \"3s\"\n  }",
        ));
        let started = std::time::Instant::now();
        let out = stack
            .ws
            .terraform(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        assert_eq!(out.code, Some(1), "{}", out.all());
        assert!(
            out.stderr.contains("not finished within the deadline"),
            "{}",
            out.all()
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(45),
            "took {:?}",
            started.elapsed()
        );
        // What the timed-out create left is in the state, tainted: the next apply replaces it
        // instead of failing on a gateway that already exists.
        let listed = stack.ok(&["state", "list"]).stdout;
        assert!(
            listed.contains("azureclassic_virtual_network_gateway.expressroute"),
            "{listed}"
        );
        let out = stack.plan();
        assert!(
            out.stdout.contains("is tainted, so must be replaced"),
            "{}",
            out.all()
        );
    }
}
