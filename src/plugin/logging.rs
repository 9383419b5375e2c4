//! Logs in the form Terraform reads from a plugin's stderr: one hclog JSON object per line with
//! `@level`, `@message`, `@timestamp`, `@module` and the event's fields as key/value pairs.
//! Terraform decides what to show, but the level is still taken from `TF_LOG_PROVIDER` / `TF_LOG`
//! so that a run without logging pays nothing for it.

use std::io::Write as _;

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::Layer;

/// Targets of this crate's library and binaries.
const OWN_TARGETS: &[&str] = &["azureclassic", "terraform_provider_azureclassic"];
/// Go's `2006-01-02T15:04:05.000000Z07:00` for UTC timestamps.
const TIMESTAMP_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

/// Installs the hclog writer on stderr as the global subscriber, at the level the environment asks
/// for; installs nothing when logging is off.
pub fn init(module: &'static str) {
    let Some(level) = level_from_env(|key| std::env::var(key).ok()) else {
        return;
    };
    let layer = HclogLayer::new(module, std::io::stderr).with_filter(targets(level));
    // Fails only when a subscriber is already installed, which then keeps logging.
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

/// This crate's events at `level`; dependencies' (TLS and HTTP/2 internals, frame by frame) only
/// from WARN up, or they would drown the provider's own lines.
fn targets(level: Level) -> Targets {
    let dependencies = LevelFilter::from_level(level).min(LevelFilter::WARN);
    OWN_TARGETS
        .iter()
        .fold(Targets::new(), |targets, target| {
            targets.with_target(*target, level)
        })
        .with_default(dependencies)
}

/// The level asked for by `TF_LOG_PROVIDER` (when set) or else `TF_LOG`; `None` means off (unset
/// or not a level Terraform knows).
fn level_from_env(var: impl Fn(&str) -> Option<String>) -> Option<Level> {
    let setting = var("TF_LOG_PROVIDER")
        .filter(|value| !value.is_empty())
        .or_else(|| var("TF_LOG"))?;
    match setting.trim().to_ascii_uppercase().as_str() {
        "TRACE" | "JSON" => Some(Level::TRACE),
        "DEBUG" => Some(Level::DEBUG),
        "INFO" => Some(Level::INFO),
        "WARN" => Some(Level::WARN),
        "ERROR" => Some(Level::ERROR),
        _ => None,
    }
}

/// A `tracing` layer writing hclog JSON lines to `writer`.
struct HclogLayer<W> {
    module: &'static str,
    writer: W,
}

impl<W> HclogLayer<W> {
    /// Lines carry `module` as `@module`, e.g. `provider.terraform-provider-azureclassic`.
    fn new(module: &'static str, writer: W) -> Self {
        Self { module, writer }
    }
}

impl<S, W> Layer<S> for HclogLayer<W>
where
    S: Subscriber,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = FieldCollector::default();
        event.record(&mut fields);
        let mut line = hclog_line(
            *event.metadata().level(),
            &fields.message,
            self.module,
            &chrono::Utc::now().format(TIMESTAMP_FORMAT).to_string(),
            fields.pairs,
        );
        line.push('\n');
        // One write per line so concurrent events do not interleave; a failed write to stderr
        // has nowhere to be reported.
        let _ = self.writer.make_writer().write_all(line.as_bytes());
    }
}

/// One hclog JSON line (without newline). The `@` keys win over event fields of the same name.
fn hclog_line(
    level: Level,
    message: &str,
    module: &str,
    timestamp: &str,
    fields: Map<String, Value>,
) -> String {
    let mut object = fields;
    object.insert("@level".into(), level_name(level).into());
    object.insert("@message".into(), message.into());
    object.insert("@module".into(), module.into());
    object.insert("@timestamp".into(), timestamp.into());
    Value::Object(object).to_string()
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// Gathers an event's message and its other fields as JSON values.
#[derive(Default)]
struct FieldCollector {
    message: String,
    pairs: Map<String, Value>,
}

impl FieldCollector {
    fn put(&mut self, field: &Field, value: Value) {
        if field.name() == "message" {
            self.message = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
        } else {
            self.pairs.insert(field.name().to_owned(), value);
        }
    }
}

impl Visit for FieldCollector {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, value.into());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, value.into());
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, value.into());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, value.into());
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        // NaN and infinities have no JSON number: keep them readable as strings.
        let json = serde_json::Number::from_f64(value)
            .map_or_else(|| Value::String(value.to_string()), Value::Number);
        self.put(field, json);
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.put(field, value.to_string().into());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, format!("{value:?}").into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex, PoisonError};

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |key| {
            vars.iter()
                .find(|(name, _)| *name == key)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn level_comes_from_tf_log_provider_then_tf_log() {
        assert_eq!(level_from_env(env(&[])), None);
        assert_eq!(
            level_from_env(env(&[("TF_LOG", "debug")])),
            Some(Level::DEBUG)
        );
        assert_eq!(
            level_from_env(env(&[("TF_LOG", "JSON")])),
            Some(Level::TRACE)
        );
        assert_eq!(level_from_env(env(&[("TF_LOG", "verbose")])), None);
        assert_eq!(
            level_from_env(env(&[("TF_LOG", "TRACE"), ("TF_LOG_PROVIDER", "WARN")])),
            Some(Level::WARN)
        );
        assert_eq!(
            level_from_env(env(&[("TF_LOG", "ERROR"), ("TF_LOG_PROVIDER", "")])),
            Some(Level::ERROR)
        );
        assert_eq!(
            level_from_env(env(&[("TF_LOG", "INFO"), ("TF_LOG_PROVIDER", "off")])),
            None
        );
    }

    /// Captures what the layer writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'w> MakeWriter<'w> for Captured {
        type Writer = Captured;

        fn make_writer(&'w self) -> Self::Writer {
            self.clone()
        }
    }

    #[test]
    fn events_become_hclog_json_lines() {
        let captured = Captured::default();
        let subscriber =
            tracing_subscriber::registry().with(HclogLayer::new("provider.test", captured.clone()));
        tracing::subscriber::with_default(subscriber, || {
            tracing::warn!(
                name = "vnet1",
                count = 3,
                ok = true,
                ratio = 0.5,
                "created {}",
                "it"
            );
            tracing::trace!("second");
        });
        let bytes = captured
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let text = String::from_utf8(bytes).expect("utf-8");
        let lines: Vec<Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).expect("json line"))
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        let first = &lines[0];
        assert_eq!(first["@level"], "warn");
        assert_eq!(first["@message"], "created it");
        assert_eq!(first["@module"], "provider.test");
        assert_eq!(first["name"], "vnet1");
        assert_eq!(first["count"], 3);
        assert_eq!(first["ok"], true);
        assert_eq!(first["ratio"], 0.5);
        assert_eq!(lines[1]["@level"], "trace");
        let stamp = first["@timestamp"].as_str().expect("timestamp string");
        // 2006-01-02T15:04:05.000000Z
        assert_eq!(stamp.len(), 27, "{stamp}");
        assert!(
            chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
            "{stamp}"
        );
        assert_eq!(stamp.as_bytes()[19], b'.');
    }

    #[test]
    fn dependencies_log_only_warnings_and_errors() {
        let filter = targets(Level::TRACE);
        assert!(filter.would_enable("azureclassic::plugin::server", &Level::TRACE));
        assert!(filter.would_enable("terraform_provider_azureclassic", &Level::DEBUG));
        assert!(!filter.would_enable("h2::codec", &Level::DEBUG));
        assert!(filter.would_enable("rustls::server::hs", &Level::WARN));
        assert!(!targets(Level::ERROR).would_enable("rustls::server::hs", &Level::WARN));
    }

    #[test]
    fn reserved_keys_win_over_fields() {
        let mut fields = Map::new();
        fields.insert("@level".into(), 7.into());
        let line = hclog_line(Level::INFO, "m", "mod", "t", fields);
        let value: Value = serde_json::from_str(&line).expect("json");
        assert_eq!(value["@level"], "info");
    }
}
