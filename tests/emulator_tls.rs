//! `--tls`: HTTPS with management-certificate authentication, and `publish-settings` producing a
//! `.publishsettings` file whose certificate the emulator accepts.

mod emulator_support;

use base64::Engine as _;
use emulator_support::*;
use std::process::Command;

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

/// The attribute `name="..."` of the first element that has it.
fn attr(xml: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = xml.find(&key)? + key.len();
    let end = start + xml[start..].find('"')?;
    Some(xml[start..end].to_string())
}

fn publish_settings(state_dir: &str, out: &std::path::Path, subscription: &str, url: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_azureclassic-emulator"))
        .args([
            "publish-settings",
            "--state-dir",
            state_dir,
            "--subscription",
            subscription,
        ])
        .args(["--url", url, "--out"])
        .arg(out)
        .status()
        .expect("publish-settings runs");
    assert!(status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_published_management_certificate_is_accepted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = state_dir(tmp.path());
    let ca_path = tmp.path().join("ca.pem");
    let emu = Emulator::start(&[
        "--state-dir",
        &dir,
        "--tls",
        "--tls-cert-out",
        ca_path.to_str().expect("utf-8"),
    ]);
    assert!(emu.url.starts_with("https://127.0.0.1:"), "{}", emu.url);
    let ca = reqwest::Certificate::from_pem(&std::fs::read(&ca_path).expect("ca")).expect("ca pem");

    // The certificate is created and registered while the emulator runs.
    let settings = tmp.path().join("emulator.publishsettings");
    publish_settings(&dir, &settings, SUB, &emu.url);
    let xml = std::fs::read_to_string(&settings).expect("publishsettings");
    assert_eq!(attr(&xml, "SchemaVersion").as_deref(), Some("2.0"));
    assert_eq!(attr(&xml, "Id").as_deref(), Some(SUB));
    assert_eq!(attr(&xml, "ServiceManagementUrl"), Some(emu.url.clone()));
    // The provider's path: base64 PKCS#12 with an empty password -> certificate + key.
    let p12 = base64::engine::general_purpose::STANDARD
        .decode(attr(&xml, "ManagementCertificate").expect("certificate"))
        .expect("base64");
    let store = p12_keystore::KeyStore::from_pkcs12(&p12, "").expect("empty password");
    let (_, chain) = store.private_key_chain().expect("key and certificate");
    let identity_pem = format!(
        "{}{}",
        pem("CERTIFICATE", chain.chain()[0].as_der()),
        pem("PRIVATE KEY", chain.key())
    );

    let anonymous = reqwest::Client::builder()
        .add_root_certificate(ca.clone())
        .build()
        .expect("client");
    Api::new(anonymous, &format!("{}/{SUB}", emu.url))
        .get("services/networking/virtualnetwork")
        .await
        .expect_error(403, "AuthenticationFailed", "");

    let identity = reqwest::Identity::from_pem(identity_pem.as_bytes()).expect("identity");
    let authenticated = reqwest::Client::builder()
        .add_root_certificate(ca.clone())
        .identity(identity.clone())
        .build()
        .expect("client");
    let api = Api::new(authenticated.clone(), &format!("{}/{SUB}", emu.url));
    api.get("services/networking/virtualnetwork")
        .await
        .expect(200);
    api.put_netcfg(&procedure_netcfg()).await;
    // The certificate is registered for its subscription only.
    Api::new(
        authenticated,
        &format!("{}/11111111-2222-4333-8444-555555555555", emu.url),
    )
    .get("services/networking/virtualnetwork")
    .await
    .expect_error(403, "AuthenticationFailed", "");

    // Another certificate, registered for nobody here, is refused as well.
    let other_dir = tempfile::tempdir().expect("tempdir");
    let other_settings = other_dir.path().join("other.publishsettings");
    publish_settings(
        other_dir.path().to_str().expect("utf-8"),
        &other_settings,
        SUB,
        &emu.url,
    );
    let other_pem = std::fs::read(other_settings.with_extension("pem")).expect("pem");
    let stranger = reqwest::Client::builder()
        .add_root_certificate(ca)
        .identity(reqwest::Identity::from_pem(&other_pem).expect("identity"))
        .build()
        .expect("client");
    Api::new(stranger, &format!("{}/{SUB}", emu.url))
        .get("services/networking/virtualnetwork")
        .await
        .expect_error(403, "AuthenticationFailed", "");
}
