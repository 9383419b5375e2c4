//! The bridge from typed resources to values: decodes values into models, runs the generic plan,
//! calls the resource, encodes the result and checks it the way Terraform will, so that a provider
//! bug shows as a clear diagnostic instead of an obscure Terraform error.

use async_trait::async_trait;

use super::context::Context;
use super::diagnostics::{Diagnostic, Diagnostics};
use super::model::{from_value, to_value, ModelError};
use super::path::AttrPath;
use super::plan::{
    apply_mismatches, config_mismatches, normalize_blocks, plan_values, requires_replace,
};
use super::resource::{
    Create, DataSource, Delete, Model, Plan, Read, ResourceCrud, StateResult, Update,
};
use super::schema::Schema;
use super::types::Type;
use super::value::{decode_json, Value};

pub struct PlanInput {
    /// Null when the object is being created.
    pub prior: Value,
    /// Null when the object is being destroyed.
    pub proposed: Value,
    pub config: Value,
    pub prior_private: Vec<u8>,
}

pub struct PlanOutput {
    pub planned: Value,
    pub requires_replace: Vec<AttrPath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct ApplyInput {
    pub prior: Value,
    /// Null when the object is being destroyed.
    pub planned: Value,
    pub config: Value,
    pub planned_private: Vec<u8>,
}

/// A state (null = no object) with its private bytes and diagnostics.
pub struct StateOutput {
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

impl StateOutput {
    fn failed(diagnostic: Diagnostic) -> StateOutput {
        StateOutput {
            state: Value::Null,
            private: Vec::new(),
            diagnostics: diagnostic.into(),
        }
    }
}

/// What the dispatcher knows of every resource and data source.
pub trait Described: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    /// The object type of its values.
    fn value_type(&self) -> &Type;
}

/// A resource as the dispatcher sees it: values in, values out.
#[async_trait]
pub trait DynResource: Described {
    async fn validate(&self, ctx: &Context, config: Value) -> Diagnostics;
    async fn plan(&self, ctx: &Context, input: PlanInput) -> PlanOutput;
    async fn apply(&self, ctx: &Context, input: ApplyInput) -> StateOutput;
    async fn read(&self, ctx: &Context, state: Value, private: Vec<u8>) -> StateOutput;
    async fn import(&self, ctx: &Context, id: &str) -> StateOutput;
    /// Converts a stored state (raw JSON, written by schema `version`) to the current schema.
    async fn upgrade(&self, ctx: &Context, version: i64, raw_json: &[u8]) -> StateOutput;
}

#[async_trait]
pub trait DynDataSource: Described {
    async fn validate(&self, ctx: &Context, config: Value) -> Diagnostics;
    async fn read(&self, ctx: &Context, config: Value) -> StateOutput;
}

/// A typed resource or data source with its schema computed once.
pub struct Erased<T> {
    inner: T,
    type_name: &'static str,
    schema: Schema,
    ty: Type,
}

impl<R: ResourceCrud> Erased<R> {
    pub fn new(inner: R) -> Erased<R> {
        let schema = inner.schema();
        let ty = schema.block.implied_type();
        Erased {
            type_name: inner.type_name(),
            inner,
            schema,
            ty,
        }
    }
}

impl<D: DataSource> Erased<D> {
    pub fn new_data_source(inner: D) -> Erased<D> {
        let schema = inner.schema();
        let ty = schema.block.implied_type();
        Erased {
            type_name: DataSource::type_name(&inner),
            inner,
            schema,
            ty,
        }
    }
}

impl<T: Send + Sync> Described for Erased<T> {
    fn type_name(&self) -> &'static str {
        self.type_name
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn value_type(&self) -> &Type {
        &self.ty
    }
}

/// A diagnostic for a mistake in the provider itself (never the user's).
pub fn provider_bug(type_name: &str, what: impl std::fmt::Display) -> Diagnostic {
    // Also in the provider's log, where TF_LOG users look first. Paths only, never values.
    tracing::error!(type_name, "provider bug: {what}");
    Diagnostic::error(
        format!("Provider bug in {type_name}"),
        format!("{what}\n\nThis is a bug in the azureclassic provider, not in your configuration: please report it."),
    )
}

impl<T> Erased<T> {
    /// Values from JSON may lack block keys, which Terraform always sends: give them their empty value.
    fn normalized(&self, value: Value) -> Value {
        normalize_blocks(&self.schema.block, value)
    }

    /// A model from a value that may hold unknowns: `Ok(None)` when it holds one where the model
    /// can't (the resource's hook is then skipped: unknowns are never errors).
    fn decode_partial<M: Model>(&self, value: Value, what: &str) -> Result<Option<M>, Diagnostic> {
        match from_value(self.normalized(value)) {
            Ok(m) => Ok(Some(m)),
            Err(e) if e.is_unexpected_unknown() => Ok(None),
            Err(e) => Err(self.model_bug(what, &e)),
        }
    }

    fn decode<M: Model>(&self, value: Value, what: &str) -> Result<M, Diagnostic> {
        from_value(self.normalized(value)).map_err(|e| self.model_bug(what, &e))
    }

    fn model_bug(&self, what: &str, e: &ModelError) -> Diagnostic {
        provider_bug(
            self.type_name,
            format!("The {what} does not fit the resource's model: {e}."),
        )
    }

    fn encode<M: Model>(&self, model: &M, what: &str) -> Result<Value, Diagnostic> {
        let value = to_value(model).map_err(|e| self.model_bug(what, &e))?;
        let value = value.conform(&self.ty).map_err(|e| {
            provider_bug(
                self.type_name,
                format!("The {what} does not fit the schema: {e}."),
            )
        })?;
        Ok(self.normalized(value))
    }

    /// Encodes a resulting state and checks what Terraform will: no unknowns, and every value that
    /// was known beforehand (`expected`) unchanged.
    fn finish<M: Model>(
        &self,
        result: StateResult<M>,
        what: &str,
        expected: Option<&Value>,
    ) -> StateOutput {
        let mut diagnostics = result.diagnostics;
        let state = match result.state.map(|m| self.encode(&m, what)).transpose() {
            Ok(state) => state.unwrap_or(Value::Null),
            Err(d) => {
                diagnostics.push(d);
                return StateOutput {
                    state: Value::Null,
                    private: result.private,
                    diagnostics,
                };
            }
        };
        if let Some(path) = state.first_unknown() {
            diagnostics.push(
                provider_bug(
                    self.type_name,
                    format!("The {what} has an unknown value at {path}."),
                )
                .at(path),
            );
        }
        if let Some(expected) = expected.filter(|_| !state.is_null()) {
            for path in apply_mismatches(expected, &state) {
                diagnostics.push(
                    provider_bug(
                        self.type_name,
                        format!("The {what} changed {path}, which was known in the plan: Terraform would reject the result as inconsistent."),
                    )
                    .at(path),
                );
            }
        }
        StateOutput {
            state,
            private: result.private,
            diagnostics,
        }
    }

    /// The configuration as a model, for validation: `None` when it can't be built yet (an unknown
    /// where the model needs a known value) or when a value does not fit the model (a fraction
    /// where a whole number is expected): that is the user's to fix, so it is reported at its path.
    fn config_model<M: Model>(&self, config: Value, diags: &mut Diagnostics) -> Option<M> {
        match from_value(self.normalized(config)) {
            Ok(model) => Some(model),
            Err(e) if e.is_unexpected_unknown() => None,
            Err(e) => {
                let path = e.path.clone().unwrap_or_default();
                diags.push(
                    Diagnostic::error(format!("Invalid value for {path}"), format!("{}.", e.kind))
                        .at(path),
                );
                None
            }
        }
    }
}

#[async_trait]
impl<R: ResourceCrud> DynResource for Erased<R> {
    async fn validate(&self, ctx: &Context, config: Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(model) = self.config_model::<R::Model>(config, &mut diags) {
            self.inner.validate(ctx, &model, &mut diags).await;
        }
        diags
    }

    async fn plan(&self, ctx: &Context, input: PlanInput) -> PlanOutput {
        let block = &self.schema.block;
        let mut out = PlanOutput {
            planned: Value::Null,
            requires_replace: Vec::new(),
            planned_private: input.prior_private.clone(),
            diagnostics: Diagnostics::new(),
        };
        if input.proposed.is_null() {
            return out; // destroy: nothing to plan
        }
        let generic = plan_values(block, &input.prior, input.proposed, &input.config);
        out.planned = generic.clone();
        match self
            .run_plan_hook(
                ctx,
                &input.config,
                &input.prior,
                generic,
                input.prior_private,
            )
            .await
        {
            Ok(Some((planned, extra_replace, private, diags))) => {
                out.planned = planned;
                out.requires_replace = extra_replace;
                out.planned_private = private;
                out.diagnostics.extend(diags);
            }
            Ok(None) => {}
            Err(d) => out.diagnostics.push(d),
        }
        for path in config_mismatches(block, &out.planned, &input.config) {
            let what = format!("The plan changed {path}, which only the configuration sets: Terraform would reject the plan.");
            out.diagnostics
                .push(provider_bug(self.type_name, what).at(path));
        }
        for path in requires_replace(block, &out.planned, &input.prior, &input.config) {
            if !out.requires_replace.contains(&path) {
                out.requires_replace.push(path);
            }
        }
        out
    }

    async fn apply(&self, ctx: &Context, input: ApplyInput) -> StateOutput {
        let private = input.planned_private;
        if input.planned.is_null() {
            let prior: R::Model = match self.decode(input.prior.clone(), "prior state") {
                Ok(m) => m,
                Err(d) => return StateOutput::failed(d),
            };
            let diagnostics = self
                .inner
                .delete(
                    ctx,
                    Delete {
                        prior,
                        private: private.clone(),
                    },
                )
                .await;
            // A failed delete keeps the object in the state.
            let state = if diagnostics.has_errors() {
                input.prior
            } else {
                Value::Null
            };
            return StateOutput {
                state,
                private,
                diagnostics,
            };
        }
        let decoded = (|| -> Result<_, Diagnostic> {
            let config: R::Model = self.decode(input.config, "configuration")?;
            let planned: R::Model = self.decode(input.planned.clone(), "planned state")?;
            let prior: Option<R::Model> = match input.prior.is_null() {
                true => None,
                false => Some(self.decode(input.prior.clone(), "prior state")?),
            };
            Ok((config, planned, prior))
        })();
        let (config, planned, prior) = match decoded {
            Ok(models) => models,
            Err(d) => return StateOutput::failed(d),
        };
        let result = match prior {
            None => {
                self.inner
                    .create(
                        ctx,
                        Create {
                            config,
                            planned,
                            private,
                        },
                    )
                    .await
            }
            Some(prior) => {
                self.inner
                    .update(
                        ctx,
                        Update {
                            config,
                            prior,
                            planned,
                            private,
                        },
                    )
                    .await
            }
        };
        let mut out = self.finish(result, "state after apply", Some(&input.planned));
        if out.state.is_null() && !out.diagnostics.has_errors() {
            out.diagnostics.push(provider_bug(
                self.type_name,
                "Apply returned no state and no error.",
            ));
        }
        if out.state.is_null() && !input.prior.is_null() {
            out.state = input.prior; // a failed update leaves the object as it was
        }
        out
    }

    async fn read(&self, ctx: &Context, state: Value, private: Vec<u8>) -> StateOutput {
        let state: R::Model = match self.decode(state, "stored state") {
            Ok(m) => m,
            Err(d) => return StateOutput::failed(d),
        };
        let result = self.inner.read(ctx, Read { state, private }).await;
        self.finish(result, "state read", None)
    }

    async fn import(&self, ctx: &Context, id: &str) -> StateOutput {
        let result = self.inner.import(ctx, id).await;
        let mut out = self.finish(result, "imported state", None);
        let has_id = self.schema.block.find_attribute("id").is_some();
        if has_id && !out.state.is_null() && out.state.attr("id").is_null() {
            let bug = provider_bug(
                self.type_name,
                "The imported state has no id: Terraform could not read it back.",
            );
            out.diagnostics.push(bug);
        }
        if out.state.is_null() && !out.diagnostics.has_errors() {
            out.diagnostics.push(Diagnostic::error(
                "Cannot import non-existent remote object",
                format!("No {} exists with id {id:?}.", self.type_name),
            ));
        }
        out
    }

    async fn upgrade(&self, ctx: &Context, version: i64, raw_json: &[u8]) -> StateOutput {
        let current = self.schema.version;
        if version > current {
            return StateOutput::failed(Diagnostic::error(
                "State written by a newer provider",
                format!("This {} state has schema version {version}; this provider knows up to {current}. Use a newer provider.", self.type_name),
            ));
        }
        if version == current {
            return match decode_json(raw_json, &self.ty) {
                Ok(v) => StateOutput {
                    state: normalize_blocks(&self.schema.block, v),
                    private: Vec::new(),
                    diagnostics: Diagnostics::new(),
                },
                Err(e) => StateOutput::failed(Diagnostic::error(
                    "Unreadable stored state",
                    format!("The stored {} state is not valid: {e}.", self.type_name),
                )),
            };
        }
        let raw: serde_json::Value = match serde_json::from_slice(raw_json) {
            Ok(v) => v,
            Err(e) => {
                return StateOutput::failed(Diagnostic::error(
                    "Unreadable stored state",
                    format!("Invalid JSON: {e}."),
                ))
            }
        };
        let result = match self.inner.upgrade_state(ctx, version, raw).await {
            Ok(model) => StateResult::ok(model),
            Err(diags) => StateResult::failed(diags),
        };
        self.finish(result, "upgraded state", None)
    }
}

impl<R: ResourceCrud> Erased<R> {
    /// Runs `modify_plan` on the generic plan. `Ok(None)` when a value it needs is unknown.
    async fn run_plan_hook(
        &self,
        ctx: &Context,
        config: &Value,
        prior: &Value,
        generic: Value,
        prior_private: Vec<u8>,
    ) -> Result<Option<(Value, Vec<AttrPath>, Vec<u8>, Diagnostics)>, Diagnostic> {
        let Some(config) = self.decode_partial::<R::Model>(config.clone(), "configuration")? else {
            return Ok(None);
        };
        let Some(planned) = self.decode_partial::<R::Model>(generic, "plan")? else {
            return Ok(None);
        };
        let prior = match prior.is_null() {
            true => None,
            false => Some(self.decode::<R::Model>(prior.clone(), "prior state")?),
        };
        let mut plan = Plan {
            config,
            prior,
            planned,
            planned_private: prior_private.clone(),
            prior_private,
            requires_replace: Vec::new(),
            diagnostics: Diagnostics::new(),
        };
        self.inner.modify_plan(ctx, &mut plan).await;
        let planned = self.encode(&plan.planned, "plan")?;
        Ok(Some((
            planned,
            plan.requires_replace,
            plan.planned_private,
            plan.diagnostics,
        )))
    }
}

#[async_trait]
impl<D: DataSource> DynDataSource for Erased<D> {
    async fn validate(&self, ctx: &Context, config: Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(model) = self.config_model::<D::Model>(config, &mut diags) {
            self.inner.validate(ctx, &model, &mut diags).await;
        }
        diags
    }

    async fn read(&self, ctx: &Context, config: Value) -> StateOutput {
        let model: D::Model = match self.decode(config.clone(), "configuration") {
            Ok(m) => m,
            Err(d) => return StateOutput::failed(d),
        };
        let result = self.inner.read(ctx, model).await;
        let mut out = self.finish(result, "data source result", None);
        let state = if out.state.is_null() {
            &config
        } else {
            &out.state
        };
        for path in config_mismatches(&self.schema.block, state, &config) {
            let what = format!("The result changed {path}, which only the configuration sets.");
            out.diagnostics
                .push(provider_bug(self.type_name, what).at(path));
        }
        out
    }
}
