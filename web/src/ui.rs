//! Pieces every view uses: form controls, the file reader, numbers between the engine's
//! decimals and what the page draws, and the colours of a status.

pub mod fields;
pub mod files;
pub mod numbers;
pub mod status;
