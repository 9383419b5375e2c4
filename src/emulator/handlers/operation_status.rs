//! Operation polling: `operations/{request-id}` (style A) and `services/networking/operation/{id}`
//! (style B).

use super::{read, Outcome, Reply};
use crate::emulator::error::ApiError;
use crate::emulator::operations::Style;
use crate::emulator::state::Subscription;

pub fn get(sub: &Subscription, id: &str, style: Style) -> Outcome {
    // Style A ids arrive as the 32-hex request id; both styles accept either GUID form.
    let dashed = uuid::Uuid::parse_str(id)
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| not_found(id))?;
    match sub.operations.get(&dashed) {
        Some(op) if op.style == style => read(Reply::Xml(200, op.status_xml())),
        _ => Err(not_found(id)),
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("The operation '{id}' was not found."))
}
