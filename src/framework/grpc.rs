//! The tfplugin5 `Provider` gRPC service: decodes each request, dispatches it to the provider,
//! resource or data source, and encodes the answer. User-facing failures are diagnostics, never
//! gRPC errors. No state is kept between calls except the configured provider data: Terraform may
//! plan and apply in different processes, and calls arrive concurrently.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use tonic::{Request, Response, Status};

use super::context::{Context, ProviderData, StopSource};
use super::diagnostics::{Diagnostic, Diagnostics};
use super::erased::{provider_bug, ApplyInput, DynDataSource, DynResource, PlanInput, StateOutput};
use super::model::from_value;
use super::resource::Provider;
use super::types::Type;
use super::value::{decode_json, decode_msgpack, encode_msgpack, Value};
use crate::proto::tfplugin5 as pb;
use crate::proto::tfplugin5::provider_server::Provider as ProviderRpc;

type RpcResult<T> = Result<Response<T>, Status>;

pub struct ProviderService<P: Provider> {
    provider: P,
    provider_type: Type,
    schema: pb::get_provider_schema::Response,
    resources: BTreeMap<&'static str, Arc<dyn DynResource>>,
    data_sources: BTreeMap<&'static str, Arc<dyn DynDataSource>>,
    configured: RwLock<Option<ProviderData>>,
    stop: Mutex<StopSource>,
}

impl<P: Provider> ProviderService<P> {
    pub fn new(provider: P) -> ProviderService<P> {
        let provider_schema = provider.schema();
        let resources: BTreeMap<_, _> = provider
            .resources()
            .into_iter()
            .map(|r| (r.type_name(), r))
            .collect();
        let data_sources: BTreeMap<_, _> = provider
            .data_sources()
            .into_iter()
            .map(|d| (d.type_name(), d))
            .collect();
        let schema = pb::get_provider_schema::Response {
            provider: Some((&provider_schema).into()),
            resource_schemas: resources
                .iter()
                .map(|(name, r)| (name.to_string(), r.schema().into()))
                .collect(),
            data_source_schemas: data_sources
                .iter()
                .map(|(name, d)| (name.to_string(), d.schema().into()))
                .collect(),
            diagnostics: Vec::new(),
            provider_meta: None,
        };
        ProviderService {
            provider_type: provider_schema.block.implied_type(),
            provider,
            schema,
            resources,
            data_sources,
            configured: RwLock::new(None),
            stop: Mutex::new(StopSource::new()),
        }
    }

    fn context(&self) -> Context {
        let cancel = self
            .stop
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .token();
        let data = self
            .configured
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        Context::new(cancel, data)
    }

    fn resource(&self, type_name: &str) -> Result<&Arc<dyn DynResource>, Diagnostic> {
        self.resources
            .get(type_name)
            .ok_or_else(|| unknown_type("resource", type_name))
    }

    /// The resource named `type_name` and the given values decoded with its type.
    fn resource_values<const N: usize>(
        &self,
        type_name: &str,
        values: [Option<&pb::DynamicValue>; N],
    ) -> Result<(&Arc<dyn DynResource>, [Value; N]), Diagnostic> {
        let r = self.resource(type_name)?;
        let mut decoded = [const { Value::Null }; N];
        for (slot, value) in decoded.iter_mut().zip(values) {
            *slot = decode(value, r.value_type())?;
        }
        Ok((r, decoded))
    }

    fn data_source(&self, type_name: &str) -> Result<&Arc<dyn DynDataSource>, Diagnostic> {
        self.data_sources
            .get(type_name)
            .ok_or_else(|| unknown_type("data source", type_name))
    }

    /// The provider configuration as the provider's model.
    fn provider_config(&self, config: Option<&pb::DynamicValue>) -> Result<P::Model, Diagnostic> {
        let value = decode(config, &self.provider_type)?;
        from_value(value).map_err(|e| {
            provider_bug(
                "the provider",
                format!("The provider configuration does not fit its model: {e}."),
            )
        })
    }
}

fn unknown_type(kind: &str, type_name: &str) -> Diagnostic {
    Diagnostic::error(
        format!("Unknown {kind} type"),
        format!("The azureclassic provider has no {kind} named {type_name:?}."),
    )
}

/// A DynamicValue: msgpack when present, else JSON; nothing at all is null.
fn decode(dv: Option<&pb::DynamicValue>, ty: &Type) -> Result<Value, Diagnostic> {
    let decoded = match dv {
        Some(dv) if !dv.msgpack.is_empty() => decode_msgpack(&dv.msgpack, ty),
        Some(dv) if !dv.json.is_empty() => decode_json(&dv.json, ty),
        _ => Ok(Value::Null),
    };
    decoded.map_err(|e| {
        Diagnostic::error(
            "Invalid value from Terraform",
            format!("The value sent by Terraform could not be decoded: {e}."),
        )
    })
}

fn encode(value: &Value, ty: &Type) -> Result<pb::DynamicValue, Diagnostic> {
    encode_msgpack(value, ty)
        .map(|msgpack| pb::DynamicValue {
            msgpack,
            json: Vec::new(),
        })
        .map_err(|e| {
            provider_bug(
                "the provider",
                format!("A value could not be encoded: {e}."),
            )
        })
}

/// Encodes a state, folding a failure into the diagnostics.
fn encode_into(
    value: &Value,
    ty: &Type,
    diagnostics: &mut Diagnostics,
) -> Option<pb::DynamicValue> {
    encode(value, ty).map_err(|d| diagnostics.push(d)).ok()
}

fn answer<T>(message: T) -> RpcResult<T> {
    Ok(Response::new(message))
}

#[tonic::async_trait]
impl<P: Provider> ProviderRpc for ProviderService<P> {
    async fn get_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> RpcResult<pb::get_provider_schema::Response> {
        answer(self.schema.clone())
    }

    async fn prepare_provider_config(
        &self,
        request: Request<pb::prepare_provider_config::Request>,
    ) -> RpcResult<pb::prepare_provider_config::Response> {
        let req = request.into_inner();
        let mut diagnostics = Diagnostics::new();
        let mut prepared = None;
        match decode(req.config.as_ref(), &self.provider_type) {
            Ok(value) => {
                if let Ok(model) = from_value::<P::Model>(value.clone()) {
                    self.provider
                        .validate(&self.context(), &model, &mut diagnostics)
                        .await;
                }
                prepared = encode_into(&value, &self.provider_type, &mut diagnostics);
            }
            Err(d) => diagnostics.push(d),
        }
        answer(pb::prepare_provider_config::Response {
            prepared_config: prepared,
            diagnostics: diagnostics.into_proto(),
        })
    }

    async fn validate_resource_type_config(
        &self,
        request: Request<pb::validate_resource_type_config::Request>,
    ) -> RpcResult<pb::validate_resource_type_config::Response> {
        let req = request.into_inner();
        let diagnostics = match self.resource_values(&req.type_name, [req.config.as_ref()]) {
            Ok((r, [config])) => r.validate(&self.context(), config).await,
            Err(d) => d.into(),
        };
        answer(pb::validate_resource_type_config::Response {
            diagnostics: diagnostics.into_proto(),
        })
    }

    async fn validate_data_source_config(
        &self,
        request: Request<pb::validate_data_source_config::Request>,
    ) -> RpcResult<pb::validate_data_source_config::Response> {
        let req = request.into_inner();
        let diagnostics = match self.data_source(&req.type_name) {
            Ok(d) => match decode(req.config.as_ref(), d.value_type()) {
                Ok(config) => d.validate(&self.context(), config).await,
                Err(diag) => diag.into(),
            },
            Err(d) => d.into(),
        };
        answer(pb::validate_data_source_config::Response {
            diagnostics: diagnostics.into_proto(),
        })
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> RpcResult<pb::upgrade_resource_state::Response> {
        let req = request.into_inner();
        let r = match self.resource(&req.type_name) {
            Ok(r) => r,
            Err(d) => {
                return answer(pb::upgrade_resource_state::Response {
                    upgraded_state: None,
                    diagnostics: vec![d.into()],
                })
            }
        };
        let raw = req.raw_state.unwrap_or_default();
        let out = if raw.json.is_empty() && raw.flatmap.is_empty() {
            StateOutput {
                state: Value::Null,
                private: Vec::new(),
                diagnostics: Diagnostics::new(),
            }
        } else if raw.json.is_empty() {
            let detail = "This state was written by a Terraform older than 0.12 (flatmap format). Upgrade it with Terraform 0.12 first.";
            StateOutput {
                state: Value::Null,
                private: Vec::new(),
                diagnostics: Diagnostic::error("Unsupported state format", detail).into(),
            }
        } else {
            r.upgrade(&self.context(), req.version, &raw.json).await
        };
        let mut diagnostics = out.diagnostics;
        let upgraded_state = encode_into(&out.state, r.value_type(), &mut diagnostics);
        answer(pb::upgrade_resource_state::Response {
            upgraded_state,
            diagnostics: diagnostics.into_proto(),
        })
    }

    async fn configure(
        &self,
        request: Request<pb::configure::Request>,
    ) -> RpcResult<pb::configure::Response> {
        let req = request.into_inner();
        let result = match self.provider_config(req.config.as_ref()) {
            Ok(model) => {
                self.provider
                    .configure(&self.context(), &req.terraform_version, model)
                    .await
            }
            Err(d) => Err(d.into()),
        };
        let diagnostics = match result {
            Ok(data) => {
                *self
                    .configured
                    .write()
                    .unwrap_or_else(PoisonError::into_inner) = Some(data);
                Diagnostics::new()
            }
            Err(diags) => diags,
        };
        answer(pb::configure::Response {
            diagnostics: diagnostics.into_proto(),
        })
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> RpcResult<pb::read_resource::Response> {
        let req = request.into_inner();
        let out = match self.resource_values(&req.type_name, [req.current_state.as_ref()]) {
            Ok((r, [state])) => Ok((r, r.read(&self.context(), state, req.private).await)),
            Err(d) => Err(d),
        };
        let (new_state, private, diagnostics) = match out {
            Ok((r, out)) => {
                let mut diagnostics = out.diagnostics;
                (
                    encode_into(&out.state, r.value_type(), &mut diagnostics),
                    out.private,
                    diagnostics,
                )
            }
            Err(d) => (None, Vec::new(), d.into()),
        };
        answer(pb::read_resource::Response {
            new_state,
            diagnostics: diagnostics.into_proto(),
            private,
        })
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> RpcResult<pb::plan_resource_change::Response> {
        let req = request.into_inner();
        let values = [
            req.prior_state.as_ref(),
            req.proposed_new_state.as_ref(),
            req.config.as_ref(),
        ];
        let planned = match self.resource_values(&req.type_name, values) {
            Ok((r, [prior, proposed, config])) => {
                let input = PlanInput {
                    prior,
                    proposed,
                    config,
                    prior_private: req.prior_private,
                };
                Ok((r, r.plan(&self.context(), input).await))
            }
            Err(d) => Err(d),
        };
        let response = match planned {
            Ok((r, out)) => {
                let mut diagnostics = out.diagnostics;
                pb::plan_resource_change::Response {
                    planned_state: encode_into(&out.planned, r.value_type(), &mut diagnostics),
                    requires_replace: out.requires_replace.iter().map(Into::into).collect(),
                    planned_private: out.planned_private,
                    diagnostics: diagnostics.into_proto(),
                    legacy_type_system: false,
                }
            }
            Err(d) => pb::plan_resource_change::Response {
                diagnostics: vec![d.into()],
                ..Default::default()
            },
        };
        answer(response)
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> RpcResult<pb::apply_resource_change::Response> {
        let req = request.into_inner();
        let values = [
            req.prior_state.as_ref(),
            req.planned_state.as_ref(),
            req.config.as_ref(),
        ];
        let applied = match self.resource_values(&req.type_name, values) {
            Ok((r, [prior, planned, config])) => {
                let input = ApplyInput {
                    prior,
                    planned,
                    config,
                    planned_private: req.planned_private,
                };
                Ok((r, r.apply(&self.context(), input).await))
            }
            Err(d) => Err(d),
        };
        let response = match applied {
            Ok((r, out)) => {
                let mut diagnostics = out.diagnostics;
                pb::apply_resource_change::Response {
                    new_state: encode_into(&out.state, r.value_type(), &mut diagnostics),
                    private: out.private,
                    diagnostics: diagnostics.into_proto(),
                    legacy_type_system: false,
                }
            }
            Err(d) => pb::apply_resource_change::Response {
                diagnostics: vec![d.into()],
                ..Default::default()
            },
        };
        answer(response)
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> RpcResult<pb::import_resource_state::Response> {
        let req = request.into_inner();
        let r = match self.resource(&req.type_name) {
            Ok(r) => r,
            Err(d) => {
                return answer(pb::import_resource_state::Response {
                    imported_resources: vec![],
                    diagnostics: vec![d.into()],
                })
            }
        };
        let out = r.import(&self.context(), &req.id).await;
        let mut diagnostics = out.diagnostics;
        let mut imported_resources = Vec::new();
        if !out.state.is_null() {
            if let Some(state) = encode_into(&out.state, r.value_type(), &mut diagnostics) {
                imported_resources.push(pb::import_resource_state::ImportedResource {
                    type_name: req.type_name,
                    state: Some(state),
                    private: out.private,
                });
            }
        }
        answer(pb::import_resource_state::Response {
            imported_resources,
            diagnostics: diagnostics.into_proto(),
        })
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> RpcResult<pb::read_data_source::Response> {
        let req = request.into_inner();
        let read = (async {
            let d = self.data_source(&req.type_name)?;
            let config = decode(req.config.as_ref(), d.value_type())?;
            Ok::<_, Diagnostic>((d, d.read(&self.context(), config).await))
        })
        .await;
        let response = match read {
            Ok((d, out)) => {
                let mut diagnostics = out.diagnostics;
                pb::read_data_source::Response {
                    state: encode_into(&out.state, d.value_type(), &mut diagnostics),
                    diagnostics: diagnostics.into_proto(),
                }
            }
            Err(d) => pb::read_data_source::Response {
                state: None,
                diagnostics: vec![d.into()],
            },
        };
        answer(response)
    }

    async fn stop(&self, _: Request<pb::stop::Request>) -> RpcResult<pb::stop::Response> {
        // Cancel every call in flight; later calls get a fresh signal, as the server keeps serving.
        let mut stop = self.stop.lock().unwrap_or_else(PoisonError::into_inner);
        stop.stop();
        *stop = StopSource::new();
        answer(pb::stop::Response {
            error: String::new(),
        })
    }
}

#[cfg(test)]
#[path = "grpc_tests.rs"]
mod tests;
