//! Durations of a `timeouts` block, written like Terraform's: `90m`, `2h`, `1h30m`, `45s`.

use std::time::Duration;

use crate::framework::{Attr, AttrPath, Diagnostics};

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a duration: write a number and a unit (s, m or h), e.g. 90m, 2h or 1h30m")]
pub struct BadDuration(String);

pub fn parse(text: &str) -> Result<Duration, BadDuration> {
    let bad = || BadDuration(text.to_string());
    let mut total = 0u64;
    let mut digits = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return Err(bad()),
        };
        let n: u64 = digits.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(bad)?;
        digits.clear();
    }
    if !digits.is_empty() || total == 0 {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

/// The configured duration, or `default` when unset (or unparseable: validation reports that).
pub fn or_default(value: Option<&Attr<String>>, default: Duration) -> Duration {
    value
        .and_then(Attr::known_str)
        .and_then(|t| parse(t).ok())
        .unwrap_or(default)
}

/// Reports a known, malformed duration at `path`.
pub fn validate(value: &Attr<String>, path: AttrPath, diags: &mut Diagnostics) {
    if let Some(Err(e)) = value.known_str().map(parse) {
        diags.error_at(path, "Invalid timeout", e.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_like_terraforms() {
        assert_eq!(parse("90m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("45s"), Ok(Duration::from_secs(45)));
        for bad in ["", "90", "m", "1x", "0m", "-5m", "99999999999999999999h"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
