//! The page (`uma-web`): what an advisor needs first — the strategy and account editors,
//! the band chart, the drift table and the player.

pub mod band_editor;
pub mod chart;
pub mod drift_table;
pub mod editor;
pub mod player;
