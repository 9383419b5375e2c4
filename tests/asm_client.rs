//! The classic API client against the real emulator over real HTTP: the coexistence procedure,
//! lossless and coalesced network-configuration writes, retries under injected faults without
//! duplicates, cancellation, and typed service errors.

mod support;

use std::convert::Infallible;
use std::time::{Duration, Instant};

use azureclassic::asm::client::{
    cancellation, CallContext, Client, ClientError, ClientSettings, PollPolicy, ProviderConfig,
    RetryPolicy,
};
use azureclassic::asm::xml::messages::{
    CreateGatewayConnectionParameters, CreateGatewayParameters,
    CreateLocalNetworkGatewayParameters, CreateVirtualNetworkGatewayParameters, GatewayConnection,
    GatewayConnectionType, GatewaySize, GatewayState, GatewayType, LinkState, SharedKey,
    UpdateGatewayConnectionParameters, UpdateLocalNetworkGatewayParameters,
};
use azureclassic::asm::xml::netcfg::{
    ConnectionType, GatewayConfig, LocalNetworkSiteRef, NetworkConfiguration, SiteLocation, Subnet,
    VirtualNetworkSite,
};
use support::emulator::Emulator;
use support::netcfg::{compact, EXISTING};

const SUBSCRIPTION: &str = "5d2b7c1e-0a6f-4c55-9a43-6f1d0d6c2b11";
const SERVICE_KEY: &str = "aec3ca48-6940-41bb-95f0-929627ea42f6";
const VNET: &str = "MyAzureVNET";

fn client_for(emulator: &Emulator) -> Client {
    let mut settings = ClientSettings::new(SUBSCRIPTION, &emulator.url).expect("settings");
    settings.retry = RetryPolicy {
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(400),
    };
    settings.polling = PollPolicy {
        initial_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(250),
    };
    Client::new(settings).expect("client")
}

fn ctx() -> CallContext {
    CallContext::with_timeout(Duration::from_secs(90))
}

/// The procedure's VNet: a /27 GatewaySubnet and a `Dedicated` reference to the ExpressRoute site.
fn coexisting_vnet(name: &str, second_octet: u8) -> VirtualNetworkSite {
    VirtualNetworkSite {
        name: name.to_string(),
        location: SiteLocation::Location("Central US".to_string()),
        address_space: vec![format!("10.{second_octet}.0.0/16")],
        subnets: vec![
            Subnet {
                name: "Subnet-1".to_string(),
                address_prefix: format!("10.{second_octet}.0.0/24"),
            },
            Subnet {
                name: "GatewaySubnet".to_string(),
                address_prefix: format!("10.{second_octet}.1.0/27"),
            },
        ],
        gateway: Some(GatewayConfig {
            vpn_client_address_pool: vec![],
            connections: vec![LocalNetworkSiteRef {
                name: "MyLocalNetwork".to_string(),
                connection_type: ConnectionType::Dedicated,
            }],
        }),
    }
}

async fn replace_network_config(client: &Client, xml: &'static str) {
    client
        .update_network_config(&ctx(), move |doc| {
            *doc = NetworkConfiguration::parse(xml).expect("test document parses");
            Ok::<_, Infallible>(())
        })
        .await
        .expect("seed the network configuration");
}

async fn upsert_vnet(client: &Client, site: VirtualNetworkSite) {
    client
        .update_network_config(&ctx(), move |doc| {
            doc.upsert_virtual_network_site(&site);
            Ok::<_, Infallible>(())
        })
        .await
        .expect("write the VNet");
}

/// Starts `count` VNet inserts at once, as parallel resources do: `{prefix}{i}` on 10.`{first + i}`.0.0/16.
fn spawn_vnet_inserts(
    client: &Client,
    prefix: &str,
    count: u8,
    first: u8,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..count)
        .map(|i| {
            let client = client.clone();
            let site = coexisting_vnet(&format!("{prefix}{i}"), first + i);
            tokio::spawn(async move { upsert_vnet(&client, site).await })
        })
        .collect()
}

/// An emulator with the circuit and `faults`, a client of it, and a call context long enough for
/// the retries.
fn with_faults(faults: &[&str]) -> (Emulator, Client, CallContext) {
    let mut args = vec!["--circuit", SERVICE_KEY];
    args.extend_from_slice(faults);
    let emulator = Emulator::start(&args);
    let client = client_for(&emulator);
    (
        emulator,
        client,
        CallContext::with_timeout(Duration::from_secs(120)),
    )
}

/// Local network gateway number `i`: its own /24 and public address.
fn local_gateway(i: u8) -> CreateLocalNetworkGatewayParameters {
    CreateLocalNetworkGatewayParameters {
        address_space: vec![format!("172.16.{i}.0/24")],
        gateway_name: format!("site{i}"),
        ip_address: format!("23.39.1.{}", i + 1),
        bgp_settings: None,
    }
}

/// The procedure's gateways on `vnet`, in its order (the emulator enforces CX-ORDER): the
/// ExpressRoute gateway, its circuit link, then the VPN gateway `vpn_name`, which is returned.
async fn coexisting_gateways(
    client: &Client,
    ctx: &CallContext,
    vnet: &str,
    vpn_name: &str,
) -> azureclassic::asm::xml::messages::VirtualNetworkGateway {
    let er = client
        .create_vnet_gateway(
            ctx,
            vnet,
            &CreateGatewayParameters {
                gateway_size: Some(GatewaySize::Standard),
                gateway_type: Some(GatewayType::DynamicRouting),
            },
        )
        .await
        .unwrap();
    assert_eq!(er.state, GatewayState::Provisioned);
    client
        .create_circuit_link(ctx, SERVICE_KEY, vnet)
        .await
        .unwrap();
    let vnet_id = client
        .find_virtual_network_site(ctx, vnet)
        .await
        .unwrap()
        .expect("VNet listed")
        .id;
    client
        .create_vpn_gateway(
            ctx,
            vnet,
            &CreateVirtualNetworkGatewayParameters {
                gateway_name: Some(vpn_name.to_string()),
                gateway_size: Some(GatewaySize::Standard),
                gateway_type: Some(GatewayType::DynamicRouting),
                vnet_id: Some(vnet_id),
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coexistence_procedure_new_vnet_through_the_client() {
    let emulator = Emulator::start(&["--circuit", SERVICE_KEY]);
    let client = client_for(&emulator);
    let ctx = ctx();

    // 1-3: the VNet schema with a /27 GatewaySubnet and a Dedicated site reference, uploaded.
    replace_network_config(&client, EXISTING).await;
    upsert_vnet(&client, coexisting_vnet(VNET, 17)).await;
    let site = client
        .find_virtual_network_site(&ctx, VNET)
        .await
        .unwrap()
        .expect("the VNet is listed with its VnetId");
    assert!(!site.id.is_empty());

    // 4: the ExpressRoute gateway.
    let er = client
        .create_vnet_gateway(
            &ctx,
            VNET,
            &CreateGatewayParameters {
                gateway_size: Some(GatewaySize::HighPerformance),
                gateway_type: Some(GatewayType::DynamicRouting),
            },
        )
        .await
        .unwrap();
    assert_eq!(er.state, GatewayState::Provisioned);

    // 5: the circuit link.
    let circuit = client
        .get_dedicated_circuit(&ctx, SERVICE_KEY)
        .await
        .unwrap();
    assert_eq!(circuit.service_key, SERVICE_KEY);
    let link = client
        .create_circuit_link(&ctx, SERVICE_KEY, VNET)
        .await
        .unwrap();
    assert_eq!(link.state, LinkState::Provisioned);
    assert_eq!(
        client
            .list_circuit_links(&ctx, SERVICE_KEY)
            .await
            .unwrap()
            .len(),
        1
    );

    // 6: the S2S VPN gateway, found by name since the operation returns no id.
    let vpn = client
        .create_vpn_gateway(
            &ctx,
            VNET,
            &CreateVirtualNetworkGatewayParameters {
                gateway_name: Some("S2SVPN".to_string()),
                gateway_size: Some(GatewaySize::HighPerformance),
                gateway_type: Some(GatewayType::DynamicRouting),
                location: Some("Central US".to_string()),
                vnet_id: Some(site.id.clone()),
                bgp_settings: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (vpn.gateway_name.as_str(), vpn.state),
        ("S2SVPN", GatewayState::Provisioned)
    );
    assert_eq!(
        client
            .get_vpn_gateway(&ctx, &vpn.gateway_id)
            .await
            .unwrap()
            .vnet_id,
        site.id
    );

    // 7: the local network gateway and the connection.
    let local_id = client
        .create_local_network_gateway(
            &ctx,
            &CreateLocalNetworkGatewayParameters {
                address_space: vec!["10.200.0.0/16".to_string()],
                gateway_name: "OnPremVpn".to_string(),
                ip_address: "23.39.1.2".to_string(),
                bgp_settings: None,
            },
        )
        .await
        .unwrap();
    client
        .update_local_network_gateway(
            &ctx,
            &local_id,
            &UpdateLocalNetworkGatewayParameters {
                address_space: vec!["10.200.0.0/16".to_string(), "10.201.0.0/16".to_string()],
                bgp_settings: None,
            },
        )
        .await
        .unwrap();
    let local = client
        .get_local_network_gateway(&ctx, &local_id)
        .await
        .unwrap();
    assert_eq!(local.address_space.len(), 2);

    let connection = client
        .create_gateway_connection(
            &ctx,
            &CreateGatewayConnectionParameters {
                connection: GatewayConnection {
                    connected_entity_id: local_id.clone(),
                    gateway_connection_name: "Azure2Local".to_string(),
                    gateway_connection_type: GatewayConnectionType::IPsec,
                    virtual_network_gateway_id: vpn.gateway_id.clone(),
                    routing_weight: Some(3),
                    shared_key: Some(SharedKey::new("first-key")),
                    enable_bgp: Some(false),
                },
            },
        )
        .await
        .unwrap();
    assert_eq!(connection.gateway_connection_name, "Azure2Local");
    client
        .update_gateway_connection(
            &ctx,
            &vpn.gateway_id,
            &local_id,
            &UpdateGatewayConnectionParameters {
                shared_key: Some(SharedKey::new("second-key")),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let updated = client
        .get_gateway_connection(&ctx, &vpn.gateway_id, &local_id)
        .await
        .unwrap();
    assert_eq!(
        updated.shared_key.as_ref().map(SharedKey::expose),
        Some("second-key")
    );

    let resized = client
        .resize_vpn_gateway(&ctx, &vpn.gateway_id, GatewaySize::Standard)
        .await
        .unwrap();
    assert_eq!(resized.gateway_size, Some(GatewaySize::Standard));

    // Teardown in reverse order; every object is gone afterwards, and deleting twice is harmless.
    client
        .delete_gateway_connection(&ctx, &vpn.gateway_id, &local_id)
        .await
        .unwrap();
    client
        .delete_local_network_gateway(&ctx, &local_id)
        .await
        .unwrap();
    client
        .delete_local_network_gateway(&ctx, &local_id)
        .await
        .unwrap();
    client
        .delete_vpn_gateway(&ctx, &vpn.gateway_id)
        .await
        .unwrap();
    client
        .delete_circuit_link(&ctx, SERVICE_KEY, VNET)
        .await
        .unwrap();
    client.delete_vnet_gateway(&ctx, VNET).await.unwrap();
    // Deleting again is harmless for every kind of object.
    client.delete_vnet_gateway(&ctx, VNET).await.unwrap();
    client
        .delete_vpn_gateway(&ctx, &vpn.gateway_id)
        .await
        .unwrap();
    client
        .delete_circuit_link(&ctx, SERVICE_KEY, VNET)
        .await
        .unwrap();
    client
        .delete_gateway_connection(&ctx, &vpn.gateway_id, &local_id)
        .await
        .unwrap();
    assert!(client
        .list_gateway_connections(&ctx)
        .await
        .unwrap()
        .is_empty());
    assert!(client
        .list_local_network_gateways(&ctx)
        .await
        .unwrap()
        .is_empty());
    assert!(client.list_vpn_gateways(&ctx).await.unwrap().is_empty());
    assert!(client
        .list_circuit_links(&ctx, SERVICE_KEY)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        client.get_vnet_gateway(&ctx, VNET).await.unwrap().state,
        GatewayState::NotProvisioned
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn netcfg_edits_never_lose_what_they_do_not_manage() {
    let emulator = Emulator::start(&[]);
    let client = client_for(&emulator);
    let ctx = ctx();
    // A subscription without a configuration reads as empty.
    assert!(client
        .get_network_config(&ctx)
        .await
        .unwrap()
        .virtual_network_sites()
        .is_empty());

    replace_network_config(&client, EXISTING).await;
    let before = client.get_network_config(&ctx).await.unwrap();

    // Insert, update and finally remove a managed VNet, each in its own read-modify-write.
    upsert_vnet(&client, coexisting_vnet("Managed", 20)).await;
    let mut wider = coexisting_vnet("Managed", 20);
    wider.address_space.push("10.21.0.0/16".to_string());
    upsert_vnet(&client, wider).await;
    let during = client.get_network_config(&ctx).await.unwrap();
    assert_eq!(
        during
            .virtual_network_site("Managed")
            .unwrap()
            .address_space,
        vec!["10.20.0.0/16", "10.21.0.0/16"]
    );
    let removed = client
        .update_network_config(&ctx, |doc| {
            Ok::<_, Infallible>(doc.remove_virtual_network_site("Managed"))
        })
        .await
        .unwrap();
    assert!(removed);

    let after = client.get_network_config(&ctx).await.unwrap();
    assert_eq!(compact(&after), compact(&before));
    let legacy = after
        .virtual_network_site("LegacyVNet")
        .expect("unmanaged VNet kept");
    let gateway = legacy.gateway.expect("its Gateway element kept");
    assert_eq!(
        gateway.connections[0].connection_type,
        ConnectionType::Dedicated
    );
    assert_eq!(after.local_network_sites()[0].name, "MyLocalNetwork");
    assert!(after.to_xml().contains("DnsServerRef"));
    assert!(after.to_xml().contains(r#"IPAddress="10.0.0.4""#));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_vnet_inserts_are_coalesced_into_few_writes() {
    const N: u8 = 30;
    let emulator = Emulator::start(&["--op-delay", "netcfg=300ms"]);
    let client = client_for(&emulator);
    for task in spawn_vnet_inserts(&client, "vnet", N, 100) {
        task.await.unwrap();
    }
    let config = client.get_network_config(&ctx()).await.unwrap();
    assert_eq!(config.virtual_network_sites().len(), usize::from(N));

    let puts = emulator
        .requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with("/services/networking/media"))
        .count();
    let stats = client.stats();
    eprintln!("{N} inserts: {puts} PUTs, {stats:?}");
    assert!(
        puts >= 1 && puts < usize::from(N) / 3,
        "{puts} PUTs for {N} inserts"
    );
    assert_eq!(stats.netcfg_edits, u64::from(N));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_edit_does_not_sink_the_batch() {
    let emulator = Emulator::start(&["--op-delay", "netcfg=300ms"]);
    let client = client_for(&emulator);
    let good = spawn_vnet_inserts(&client, "ok", 5, 40);
    let refused = client
        .update_network_config(&ctx(), |_| Err::<(), _>("VNet name already taken"))
        .await;
    assert!(matches!(
        refused,
        Err(azureclassic::asm::client::NetcfgError::Edit(
            "VNet name already taken"
        ))
    ));
    for task in good {
        task.await.unwrap();
    }
    assert_eq!(
        client
            .get_network_config(&ctx())
            .await
            .unwrap()
            .virtual_network_sites()
            .len(),
        5
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_are_retried_and_creates_are_not_duplicated() {
    const LOCAL_GATEWAYS: u8 = 16;
    let (emulator, client, ctx) = with_faults(&["--fault-rate", "0.3", "--fault-seed", "7"]);

    for task in spawn_vnet_inserts(&client, "f", 6, 60) {
        task.await.unwrap();
    }
    for i in 0..LOCAL_GATEWAYS {
        client
            .create_local_network_gateway(&ctx, &local_gateway(i))
            .await
            .unwrap();
    }
    coexisting_gateways(&client, &ctx, "f0", "vpn-f0").await;

    // Count what exists: every object exactly once.
    let config = client.get_network_config(&ctx).await.unwrap();
    assert_eq!(config.virtual_network_sites().len(), 6);
    let locals = client.list_local_network_gateways(&ctx).await.unwrap();
    for i in 0..LOCAL_GATEWAYS {
        let name = format!("site{i}");
        assert_eq!(
            locals.iter().filter(|g| g.gateway_name == name).count(),
            1,
            "{name}"
        );
    }
    assert_eq!(locals.len(), usize::from(LOCAL_GATEWAYS));
    let vpns = client.list_vpn_gateways(&ctx).await.unwrap();
    assert_eq!(
        vpns.iter().filter(|g| g.gateway_name == "vpn-f0").count(),
        1
    );

    let stats = client.stats();
    let faults = emulator
        .requests()
        .iter()
        .filter(|r| r.status >= 429)
        .count();
    eprintln!("under --fault-rate 0.3: {stats:?}; {faults} fault answers logged");
    assert!(stats.retries > 0, "{stats:?}");
    assert!(stats.requests > stats.retries);
}

/// The emulator makes half of the changes and then drops the connection: the client cannot tell
/// whether its create happened, looks the object up before sending again, and finds it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_create_answers_are_found_by_lookup_not_created_twice() {
    const SITES: u8 = 10;
    let (emulator, client, ctx) = with_faults(&["--fault-after-rate", "0.5", "--fault-seed", "11"]);
    upsert_vnet(&client, coexisting_vnet(VNET, 17)).await;
    let vpn = coexisting_gateways(&client, &ctx, VNET, "S2SVPN").await;
    for i in 0..SITES {
        let local_id = client
            .create_local_network_gateway(&ctx, &local_gateway(i))
            .await
            .unwrap();
        client
            .create_gateway_connection(
                &ctx,
                &CreateGatewayConnectionParameters {
                    connection: GatewayConnection {
                        connected_entity_id: local_id,
                        gateway_connection_name: format!("conn{i}"),
                        gateway_connection_type: GatewayConnectionType::IPsec,
                        virtual_network_gateway_id: vpn.gateway_id.clone(),
                        routing_weight: None,
                        shared_key: Some(SharedKey::new("lost-answer-key")),
                        enable_bgp: None,
                    },
                },
            )
            .await
            .unwrap();
    }

    // Every object exactly once.
    assert_eq!(client.list_vpn_gateways(&ctx).await.unwrap().len(), 1);
    assert_eq!(
        client
            .list_circuit_links(&ctx, SERVICE_KEY)
            .await
            .unwrap()
            .len(),
        1
    );
    let locals = client.list_local_network_gateways(&ctx).await.unwrap();
    assert_eq!(locals.len(), usize::from(SITES));
    let connections = client.list_gateway_connections(&ctx).await.unwrap();
    assert_eq!(connections.len(), usize::from(SITES));
    for i in 0..SITES {
        let (site, conn) = (format!("site{i}"), format!("conn{i}"));
        assert_eq!(locals.iter().filter(|g| g.gateway_name == site).count(), 1);
        assert_eq!(
            connections
                .iter()
                .filter(|c| c.gateway_connection_name == conn)
                .count(),
            1
        );
    }

    let lost_creates = emulator
        .requests()
        .iter()
        .filter(|r| r.answer_lost && r.method == "POST")
        .count();
    let stats = client.stats();
    eprintln!("under --fault-after-rate 0.5: {lost_creates} create answers lost; {stats:?}");
    assert!(lost_creates > 0, "the fault mode never hit a create");
    assert!(stats.create_lookup_hits > 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancellation_stops_a_long_poll_promptly() {
    let emulator = Emulator::start(&["--op-delay", "gateway-create=10m"]);
    let client = client_for(&emulator);
    upsert_vnet(&client, coexisting_vnet(VNET, 17)).await;

    let (stop, cancel) = cancellation();
    let ctx = CallContext::new(Duration::from_secs(3600), cancel);
    let waiting = {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .create_vnet_gateway(
                    &ctx,
                    VNET,
                    &CreateGatewayParameters {
                        gateway_size: Some(GatewaySize::Standard),
                        gateway_type: Some(GatewayType::DynamicRouting),
                    },
                )
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(!waiting.is_finished(), "the create is still being polled");
    let stopped_at = Instant::now();
    stop.cancel();
    let outcome = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("returns promptly after cancel")
        .unwrap();
    assert!(
        matches!(outcome, Err(ClientError::Cancelled { .. })),
        "{outcome:?}"
    );
    assert!(stopped_at.elapsed() < Duration::from_secs(1));
    assert!(client.stats().polls > 0);

    // A deadline ends the wait the same way.
    let started = Instant::now();
    let outcome = client
        .create_vnet_gateway(
            &CallContext::with_timeout(Duration::from_millis(800)),
            VNET,
            &CreateGatewayParameters::default(),
        )
        .await;
    assert!(outcome.is_err());
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_errors_are_typed_with_code_request_id_and_call() {
    let emulator = Emulator::start(&[]);
    let client = client_for(&emulator);
    let error = client
        .create_vnet_gateway(&ctx(), "NoSuchVNet", &CreateGatewayParameters::default())
        .await
        .unwrap_err();
    let service = error.service().expect("the service's own error");
    assert_eq!((service.status, service.code.as_str()), (400, "BadRequest"));
    assert!(
        service.message.contains("NoSuchVNet"),
        "{}",
        service.message
    );
    assert_eq!(service.request_id.as_deref().map(str::len), Some(32));
    assert_eq!(service.call.method, "POST");
    assert!(service
        .call
        .path
        .ends_with("/services/networking/NoSuchVNet/gateway"));

    let missing = client
        .get_dedicated_circuit(&ctx(), "00000000-0000-0000-0000-000000000000")
        .await
        .unwrap_err();
    assert!(missing.is_not_found());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_and_publish_settings_authenticate_against_the_emulator() {
    let (emulator, publish_settings, ca) = Emulator::start_tls(SUBSCRIPTION);
    let settings = ClientSettings::from_provider_config(&ProviderConfig {
        publish_settings_file: Some(publish_settings),
        management_url: Some(emulator.url.clone()),
        trusted_root_certificate_file: Some(ca.clone()),
        ..Default::default()
    })
    .expect("settings from the publish settings file");
    assert_eq!(settings.subscription_id, SUBSCRIPTION);
    assert!(settings.identity.is_some());
    let client = Client::new(settings).unwrap();
    upsert_vnet(&client, coexisting_vnet(VNET, 17)).await;
    assert!(client
        .find_virtual_network_site(&ctx(), VNET)
        .await
        .unwrap()
        .is_some());

    // Trusting the server but presenting no management certificate: 403 AuthenticationFailed.
    let anonymous = ClientSettings::from_provider_config(&ProviderConfig {
        subscription_id: Some(SUBSCRIPTION.to_string()),
        management_url: Some(emulator.url.clone()),
        trusted_root_certificate_file: Some(ca),
        ..Default::default()
    })
    .unwrap();
    let refused = Client::new(anonymous)
        .unwrap()
        .get_network_config(&ctx())
        .await
        .expect_err("no certificate, no access");
    let service = refused.service().expect("the service refuses");
    assert_eq!(
        (service.status, service.code.as_str()),
        (403, "AuthenticationFailed")
    );
}
