//! `--request-log FILE`: one JSON line per request, written as it is answered.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

pub struct RequestLog {
    file: Mutex<File>,
}

impl RequestLog {
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(RequestLog {
            file: Mutex::new(file),
        })
    }

    /// Appends `{"method":..,"path":..,"status":..}`; `status` 0 means the connection was dropped.
    /// `path` excludes the query string. A failed write is reported, never fatal to the request.
    pub fn record(&self, method: &str, path: &str, status: u16) {
        let mut line =
            serde_json::json!({ "method": method, "path": path, "status": status }).to_string();
        line.push('\n');
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = file.write_all(line.as_bytes()) {
            tracing::warn!("request log write failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_one_json_line_per_request() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("requests.jsonl");
        let log = RequestLog::open(&path).expect("open");
        log.record("POST", "/s/services/networking/My VNet/gateway", 201);
        log.record("GET", "/s/operations/x\"y", 404);
        let text = std::fs::read_to_string(&path).expect("read");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(
            lines[0],
            serde_json::json!({"method":"POST","path":"/s/services/networking/My VNet/gateway","status":201})
        );
        assert_eq!(lines[1]["path"], "/s/operations/x\"y");
        assert_eq!(lines.len(), 2);
    }
}
