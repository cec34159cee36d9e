//! Pieces every view uses: form controls, the file reader, long lines thinned for a chart, numbers between the engine's
//! decimals and what the page draws, and the colours of a status.

pub mod fields;
pub mod files;
pub mod lines;
pub mod numbers;
pub mod status;
