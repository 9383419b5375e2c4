//! Dispatch tests: in-memory requests through the gRPC service trait, no network.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tonic::Request;

use super::*;
use crate::framework::attr::Attr;
use crate::framework::erased::{DynDataSource, DynResource};
use crate::framework::resource::{
    resource, Create, Delete, Read, Resource, ResourceCrud, StateResult, Update,
};
use crate::framework::schema::{Attribute, Block, Schema};
use crate::framework::{Diagnostic, Plan};

/// Calls one RPC and unwraps its response: failures must be diagnostics, never gRPC errors.
macro_rules! rpc {
    ($svc:expr, $method:ident, $req:expr) => {
        $svc.$method(Request::new($req))
            .await
            .expect("diagnostics, never a gRPC error")
            .into_inner()
    };
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct ThingModel {
    id: Attr<String>,
    name: Attr<String>,
    size: Attr<String>,
    kind: Attr<String>,
    state: Attr<String>,
    subnet: Vec<SubnetModel>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct SubnetModel {
    prefix: Attr<String>,
    sid: Attr<String>,
}

struct Thing;

#[async_trait]
impl Resource for Thing {
    type Model = ThingModel;

    fn type_name(&self) -> &'static str {
        "test_thing"
    }

    fn schema(&self) -> Schema {
        Schema::new(crate::framework::plan::tests::block()).version(1)
    }

    async fn validate(&self, _: &Context, config: &ThingModel, diags: &mut Diagnostics) {
        if config.size.known_str() == Some("Huge") {
            diags.error_at(crate::framework::AttrPath::attr("size"), "Too big", "");
        }
    }

    async fn modify_plan(&self, _: &Context, plan: &mut Plan<ThingModel>) {
        if plan.planned.name.known_str() == Some("bad-plan") {
            plan.planned.size = Attr::Known("changed".into());
        }
        plan.planned_private = b"planned".to_vec();
    }

    async fn upgrade_state(
        &self,
        _: &Context,
        version: i64,
        raw: serde_json::Value,
    ) -> Result<ThingModel, Diagnostics> {
        // Version 0 called the size "sku".
        let sku = raw.get("sku").and_then(|v| v.as_str()).map(str::to_string);
        match (version, sku) {
            (0, Some(sku)) => Ok(ThingModel {
                id: Attr::Known("id-old".into()),
                name: Attr::Known("old".into()),
                size: Attr::Known(sku),
                kind: Attr::Known("Dynamic".into()),
                state: Attr::Known("Ready".into()),
                subnet: vec![],
            }),
            _ => Err(Diagnostic::error("cannot upgrade", "").into()),
        }
    }
}

fn applied(mut m: ThingModel) -> ThingModel {
    m.id = Attr::Known(format!("id-{}", m.name.known_str().unwrap_or_default()));
    m.state = Attr::Known("Ready".into());
    m
}

#[async_trait]
impl ResourceCrud for Thing {
    async fn create(&self, ctx: &Context, req: Create<ThingModel>) -> StateResult<ThingModel> {
        match req.planned.name.known_str() {
            Some("liar") => {
                let mut m = applied(req.planned);
                m.size = Attr::Known("other".into());
                StateResult::ok(m)
            }
            Some("forgetful") => StateResult::ok(req.planned),
            Some("slow") => {
                tokio::select! {
                    _ = ctx.cancelled() => StateResult::failed(Diagnostic::error("cancelled", "")),
                    _ = tokio::time::sleep(Duration::from_secs(30)) => StateResult::ok(applied(req.planned)),
                }
            }
            _ => StateResult::ok(applied(req.planned)).with_private(req.private),
        }
    }

    async fn read(&self, _: &Context, req: Read<ThingModel>) -> StateResult<ThingModel> {
        match req.state.name.known_str() {
            Some("gone") => StateResult::gone(),
            _ => StateResult::ok(req.state).with_private(req.private),
        }
    }

    async fn update(&self, _: &Context, req: Update<ThingModel>) -> StateResult<ThingModel> {
        StateResult::ok(applied(req.planned))
    }

    async fn delete(&self, _: &Context, req: Delete<ThingModel>) -> Diagnostics {
        match req.prior.name.known_str() {
            Some("stuck") => Diagnostic::error("cannot delete", "").into(),
            _ => Diagnostics::new(),
        }
    }

    async fn import(&self, _: &Context, id: &str) -> StateResult<ThingModel> {
        if id == "missing" {
            return StateResult::gone();
        }
        if id == "anonymous" {
            return StateResult::ok(ThingModel {
                name: Attr::Known("x".into()),
                ..ThingModel::default()
            });
        }
        StateResult::ok(ThingModel {
            id: Attr::Known(id.into()),
            name: Attr::Known("imported".into()),
            size: Attr::Known("S".into()),
            kind: Attr::Known("Dynamic".into()),
            state: Attr::Known("Ready".into()),
            subnet: vec![],
        })
    }
}

#[derive(Default, Serialize, Deserialize)]
struct TestProviderModel {
    endpoint: Attr<String>,
}

struct TestProvider;

#[async_trait]
impl Provider for TestProvider {
    type Model = TestProviderModel;

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new("p")
                .attribute(Attribute::optional("endpoint", Type::String).description("d")),
        )
    }

    async fn configure(
        &self,
        _: &Context,
        _: &str,
        config: TestProviderModel,
    ) -> Result<ProviderData, Diagnostics> {
        Ok(Arc::new(config.endpoint))
    }

    fn resources(&self) -> Vec<Arc<dyn DynResource>> {
        vec![resource(Thing)]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource>> {
        vec![]
    }
}

fn service() -> ProviderService<TestProvider> {
    ProviderService::new(TestProvider)
}

fn ty() -> Type {
    Thing.schema().block.implied_type()
}

fn dv(v: &Value) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: encode_msgpack(v, &ty()).unwrap(),
        json: vec![],
    })
}

fn value_of(dv: Option<pb::DynamicValue>) -> Value {
    decode_msgpack(&dv.expect("a value").msgpack, &ty()).unwrap()
}

fn s(v: &str) -> Value {
    Value::string(v)
}

fn thing(pairs: &[(&str, Value)]) -> Value {
    let mut m: BTreeMap<String, Value> = ["id", "name", "size", "kind", "state"]
        .iter()
        .map(|k| (k.to_string(), Value::Null))
        .collect();
    m.insert("subnet".into(), Value::List(vec![]));
    for (k, v) in pairs {
        m.insert(k.to_string(), v.clone());
    }
    Value::Object(m)
}

fn config(name: &str, size: &str) -> Value {
    thing(&[("name", s(name)), ("size", s(size))])
}

fn prior(name: &str, size: &str) -> Value {
    thing(&[
        ("id", s(&format!("id-{name}"))),
        ("name", s(name)),
        ("size", s(size)),
        ("kind", s("Dynamic")),
        ("state", s("Ready")),
    ])
}

/// What Terraform proposes: the configuration, computed attributes it leaves null taken from prior.
fn proposed(config: &Value, prior: &Value) -> Value {
    let (Value::Object(mut m), Value::Object(p)) = (config.clone(), prior) else {
        return config.clone();
    };
    for k in ["id", "kind", "state"] {
        if m[k].is_null() {
            m.insert(k.into(), p[k].clone());
        }
    }
    Value::Object(m)
}

async fn plan(prior: &Value, config: &Value) -> pb::plan_resource_change::Response {
    let req = pb::plan_resource_change::Request {
        type_name: "test_thing".into(),
        prior_state: dv(prior),
        proposed_new_state: dv(&proposed(config, prior)),
        config: dv(config),
        prior_private: vec![],
        provider_meta: None,
    };
    rpc!(service(), plan_resource_change, req)
}

async fn apply(
    svc: &ProviderService<TestProvider>,
    prior: &Value,
    planned: &Value,
    config: &Value,
) -> pb::apply_resource_change::Response {
    let req = pb::apply_resource_change::Request {
        type_name: "test_thing".into(),
        prior_state: dv(prior),
        planned_state: dv(planned),
        config: dv(config),
        planned_private: b"planned".to_vec(),
        provider_meta: None,
    };
    rpc!(svc, apply_resource_change, req)
}

fn summaries(diags: &[pb::Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.summary.as_str()).collect()
}

#[tokio::test]
async fn schema_lists_resources_with_a_provider_block() {
    let resp = service()
        .get_schema(Request::new(pb::get_provider_schema::Request {}))
        .await
        .unwrap()
        .into_inner();
    assert!(resp.provider.unwrap().block.is_some());
    assert_eq!(resp.resource_schemas["test_thing"].version, 1);
}

#[tokio::test]
async fn plan_create_marks_computed_unknown_and_applies_defaults() {
    let resp = plan(&Value::Null, &config("a", "S")).await;
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    let planned = value_of(resp.planned_state);
    assert_eq!(planned.attr("id"), &Value::Unknown);
    assert_eq!(planned.attr("state"), &Value::Unknown);
    assert_eq!(planned.attr("kind"), &s("Dynamic"));
    assert!(resp.requires_replace.is_empty());
    assert_eq!(resp.planned_private, b"planned");
}

#[tokio::test]
async fn plan_without_change_has_no_unknowns() {
    let resp = plan(&prior("a", "S"), &config("a", "S")).await;
    assert_eq!(value_of(resp.planned_state), prior("a", "S"));
    assert!(resp.requires_replace.is_empty());
}

#[tokio::test]
async fn plan_update_keeps_state_for_unknown() {
    let resp = plan(&prior("a", "S"), &config("a", "L")).await;
    let planned = value_of(resp.planned_state);
    assert_eq!(planned.attr("id"), &s("id-a"));
    assert_eq!(planned.attr("state"), &Value::Unknown);
    assert_eq!(planned.attr("size"), &s("L"));
    assert!(resp.requires_replace.is_empty());
}

#[tokio::test]
async fn plan_replace_names_the_attribute() {
    let resp = plan(&prior("a", "S"), &config("b", "S")).await;
    let expected: pb::AttributePath = (&crate::framework::AttrPath::attr("name")).into();
    assert_eq!(resp.requires_replace, vec![expected]);
}

#[tokio::test]
async fn plan_that_changes_configuration_is_reported_as_a_provider_bug() {
    let resp = plan(&Value::Null, &config("bad-plan", "S")).await;
    assert_eq!(
        summaries(&resp.diagnostics),
        vec!["Provider bug in test_thing"]
    );
    assert!(resp.diagnostics[0].detail.contains("size"));
}

#[tokio::test]
async fn plan_destroy_is_null() {
    let req = pb::plan_resource_change::Request {
        type_name: "test_thing".into(),
        prior_state: dv(&prior("a", "S")),
        proposed_new_state: dv(&Value::Null),
        config: dv(&Value::Null),
        ..Default::default()
    };
    let resp = rpc!(service(), plan_resource_change, req);
    assert_eq!(value_of(resp.planned_state), Value::Null);
}

#[tokio::test]
async fn apply_create_fills_computed_values_and_keeps_private() {
    let c = config("a", "S");
    let planned = value_of(plan(&Value::Null, &c).await.planned_state);
    let resp = apply(&service(), &Value::Null, &planned, &c).await;
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    assert_eq!(value_of(resp.new_state), prior("a", "S"));
    assert_eq!(resp.private, b"planned");
}

#[tokio::test]
async fn apply_result_that_contradicts_the_plan_is_a_clear_provider_bug() {
    let c = config("liar", "S");
    let planned = value_of(plan(&Value::Null, &c).await.planned_state);
    let resp = apply(&service(), &Value::Null, &planned, &c).await;
    assert_eq!(
        summaries(&resp.diagnostics),
        vec!["Provider bug in test_thing"]
    );
    let path = resp.diagnostics[0].attribute.clone().unwrap();
    assert_eq!(path, (&crate::framework::AttrPath::attr("size")).into());
    // The object exists: its state is still returned so Terraform records it.
    assert_eq!(value_of(resp.new_state).attr("size"), &s("other"));
}

#[tokio::test]
async fn apply_result_with_unknowns_is_a_provider_bug() {
    let c = config("forgetful", "S");
    let planned = value_of(plan(&Value::Null, &c).await.planned_state);
    let resp = apply(&service(), &Value::Null, &planned, &c).await;
    assert!(
        resp.diagnostics
            .iter()
            .any(|d| d.detail.contains("unknown value at id")),
        "{:?}",
        resp.diagnostics
    );
}

#[tokio::test]
async fn delete_returns_null_and_a_failed_delete_keeps_the_state() {
    let resp = apply(&service(), &prior("a", "S"), &Value::Null, &Value::Null).await;
    assert!(resp.diagnostics.is_empty());
    assert_eq!(value_of(resp.new_state), Value::Null);
    let resp = apply(&service(), &prior("stuck", "S"), &Value::Null, &Value::Null).await;
    assert_eq!(summaries(&resp.diagnostics), vec!["cannot delete"]);
    assert_eq!(value_of(resp.new_state), prior("stuck", "S"));
}

#[tokio::test]
async fn stop_cancels_an_apply_in_flight_and_keeps_serving() {
    let svc = Arc::new(service());
    let c = config("slow", "S");
    let planned = value_of(plan(&Value::Null, &c).await.planned_state);
    let running = {
        let svc = svc.clone();
        tokio::spawn(async move { apply(&svc, &Value::Null, &planned, &c).await })
    };
    // Stop only once the apply holds its cancellation signal.
    tokio::time::sleep(Duration::from_millis(100)).await;
    svc.stop(Request::new(pb::stop::Request {})).await.unwrap();
    let resp = tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .unwrap()
        .unwrap();
    assert!(summaries(&resp.diagnostics).contains(&"cancelled"));
    // Still serving, with a fresh signal.
    let resp = apply(
        &svc,
        &Value::Null,
        &value_of(plan(&Value::Null, &config("a", "S")).await.planned_state),
        &config("a", "S"),
    )
    .await;
    assert!(resp.diagnostics.is_empty());
}

#[tokio::test]
async fn upgrade_from_current_version_ignores_extra_keys_and_fills_missing_ones() {
    let req = pb::upgrade_resource_state::Request {
        type_name: "test_thing".into(),
        version: 1,
        raw_state: Some(pb::RawState {
            json: br#"{"id":"x","name":"a","size":"S","removed":true}"#.to_vec(),
            flatmap: Default::default(),
        }),
    };
    let resp = rpc!(service(), upgrade_resource_state, req);
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    let state = value_of(resp.upgraded_state);
    assert_eq!(
        state,
        thing(&[("id", s("x")), ("name", s("a")), ("size", s("S"))])
    );
}

#[tokio::test]
async fn upgrade_from_older_version_goes_through_the_resource() {
    let req = pb::upgrade_resource_state::Request {
        type_name: "test_thing".into(),
        version: 0,
        raw_state: Some(pb::RawState {
            json: br#"{"sku":"M"}"#.to_vec(),
            flatmap: Default::default(),
        }),
    };
    let resp = rpc!(service(), upgrade_resource_state, req);
    assert_eq!(value_of(resp.upgraded_state).attr("size"), &s("M"));
    let req = pb::upgrade_resource_state::Request {
        type_name: "test_thing".into(),
        version: 7,
        raw_state: Some(pb::RawState {
            json: b"{}".to_vec(),
            flatmap: Default::default(),
        }),
    };
    let resp = rpc!(service(), upgrade_resource_state, req);
    assert_eq!(
        summaries(&resp.diagnostics),
        vec!["State written by a newer provider"]
    );
}

#[tokio::test]
async fn import_returns_every_attribute_and_missing_objects_are_errors() {
    let req = pb::import_resource_state::Request {
        type_name: "test_thing".into(),
        id: "id-7".into(),
    };
    let resp = rpc!(service(), import_resource_state, req);
    assert_eq!(resp.imported_resources.len(), 1);
    let imported = &resp.imported_resources[0];
    assert_eq!(imported.type_name, "test_thing");
    let state = value_of(imported.state.clone());
    assert_eq!(state.attr("id"), &s("id-7"));
    assert_eq!(state.attr("subnet"), &Value::List(vec![]));
    let req = pb::import_resource_state::Request {
        type_name: "test_thing".into(),
        id: "missing".into(),
    };
    let resp = rpc!(service(), import_resource_state, req);
    assert!(resp.imported_resources.is_empty());
    assert_eq!(
        summaries(&resp.diagnostics),
        vec!["Cannot import non-existent remote object"]
    );
    let req = pb::import_resource_state::Request {
        type_name: "test_thing".into(),
        id: "anonymous".into(),
    };
    let resp = rpc!(service(), import_resource_state, req);
    assert!(
        resp.diagnostics
            .iter()
            .any(|d| d.detail.contains("has no id")),
        "{:?}",
        resp.diagnostics
    );
}

#[tokio::test]
async fn read_of_a_gone_object_is_null() {
    let req = pb::read_resource::Request {
        type_name: "test_thing".into(),
        current_state: dv(&prior("gone", "S")),
        ..Default::default()
    };
    let resp = rpc!(service(), read_resource, req);
    assert_eq!(value_of(resp.new_state), Value::Null);
}

#[tokio::test]
async fn unknown_type_names_are_diagnostics_not_grpc_errors() {
    let req = pb::read_resource::Request {
        type_name: "test_nope".into(),
        ..Default::default()
    };
    let resp = rpc!(service(), read_resource, req);
    assert_eq!(summaries(&resp.diagnostics), vec!["Unknown resource type"]);
    let req = pb::read_data_source::Request {
        type_name: "test_nope".into(),
        ..Default::default()
    };
    let resp = rpc!(service(), read_data_source, req);
    assert_eq!(
        summaries(&resp.diagnostics),
        vec!["Unknown data source type"]
    );
}

#[tokio::test]
async fn validate_skips_unknowns_and_reports_known_problems_with_their_path() {
    let validate = |config: Value| async move {
        let req = pb::validate_resource_type_config::Request {
            type_name: "test_thing".into(),
            config: dv(&config),
        };
        rpc!(service(), validate_resource_type_config, req).diagnostics
    };
    assert!(validate(thing(&[
        ("name", Value::Unknown),
        ("size", Value::Unknown),
        ("subnet", Value::Unknown)
    ]))
    .await
    .is_empty());
    let diags = validate(config("a", "Huge")).await;
    assert_eq!(summaries(&diags), vec!["Too big"]);
    assert_eq!(
        diags[0].attribute,
        Some((&crate::framework::AttrPath::attr("size")).into())
    );
}

#[tokio::test]
async fn configure_with_unknowns_then_provider_data_reaches_calls() {
    let svc = service();
    let pty = TestProvider.schema().block.implied_type();
    let config = Value::Object(BTreeMap::from([("endpoint".to_string(), Value::Unknown)]));
    let req = pb::configure::Request {
        terraform_version: "1.0.3".into(),
        config: Some(pb::DynamicValue {
            msgpack: encode_msgpack(&config, &pty).unwrap(),
            json: vec![],
        }),
    };
    let resp = rpc!(svc, configure, req);
    assert!(resp.diagnostics.is_empty());
    assert_eq!(
        *svc.context().provider_data::<Attr<String>>().unwrap(),
        Attr::Unknown
    );
}

#[tokio::test]
async fn json_dynamic_values_are_accepted() {
    let req = pb::validate_resource_type_config::Request {
        type_name: "test_thing".into(),
        config: Some(pb::DynamicValue {
            msgpack: vec![],
            json: br#"{"name":"a","size":"Huge"}"#.to_vec(),
        }),
    };
    let resp = rpc!(service(), validate_resource_type_config, req);
    assert_eq!(summaries(&resp.diagnostics), vec!["Too big"]);
}
