//! The colour of a model's status, shared by the band chart and the drift table.

use uma_engine::Status;

/// The class that colours `status`: `under`, `in-band` or `over`.
pub fn status_class(status: Status) -> &'static str {
    match status {
        Status::Under => "under",
        Status::InBand => "in-band",
        Status::Over => "over",
    }
}
