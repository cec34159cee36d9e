//! The structure check: inside a crate's `src/`, the graph of modules (an edge from a
//! module to each child it declares with `mod`, and to each module it names in a path,
//! `use crate::a::b::Item` or inline) has no loop, and no module imports from one of its
//! ancestors (its parent, the crate root's re-exports, `super::`).
//!
//! The check reads the text of the files, not the compiler's view: whole-line comments
//! and each file's trailing `#[cfg(test)] mod tests` are left out, and a path resolves to
//! the deepest module file that exists (`crate::tactical::plan::Plan` to
//! `tactical/plan.rs`). Binaries (`main.rs`, `bin/`) are crates of their own and left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A module's path from the crate root: `[]` for the root, `["tactical", "plan"]`.
type ModPath = Vec<String>;

/// The modules of one crate: each module's file text (comments and tests left out).
struct Crate {
    modules: BTreeMap<ModPath, String>,
}

impl Crate {
    fn read(src: &Path) -> Result<Crate, String> {
        let mut modules = BTreeMap::new();
        let mut stack = vec![src.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let entries = fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for entry in entries.flatten() {
                let path = entry.path();
                let relative = path.strip_prefix(src).map_err(|e| e.to_string())?;
                if path.is_dir() {
                    if relative != Path::new("bin") {
                        stack.push(path);
                    }
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") || relative == Path::new("main.rs") {
                    continue;
                }
                let mut segments: ModPath =
                    relative.with_extension("").iter().map(|s| s.to_string_lossy().into_owned()).collect();
                if segments.last().is_some_and(|s| s == "mod" || s == "lib") {
                    segments.pop();
                }
                let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                modules.insert(segments, code_of(&text));
            }
        }
        Ok(Crate { modules })
    }

    /// The deepest module that `segments` (from the crate root) names.
    fn resolve(&self, segments: &[String]) -> ModPath {
        let mut found: ModPath = Vec::new();
        for segment in segments {
            let mut next = found.clone();
            next.push(segment.clone());
            if !self.modules.contains_key(&next) {
                break;
            }
            found = next;
        }
        found
    }

    /// Every module each module depends on.
    fn edges(&self) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
        let mut edges = BTreeMap::new();
        for (module, text) in &self.modules {
            let mut targets = BTreeSet::new();
            for line in text.lines() {
                let line = line.trim();
                if let Some(child) = declared_child(line) {
                    let mut path = module.clone();
                    path.push(child);
                    targets.insert(path);
                }
                for path in paths_in(line) {
                    let absolute = match path.first().map(String::as_str) {
                        Some("crate") => path[1..].to_vec(),
                        Some("super") => {
                            let mut base = module.clone();
                            let mut rest = &path[..];
                            while rest.first().is_some_and(|s| s == "super") {
                                base.pop();
                                rest = &rest[1..];
                            }
                            base.extend(rest.iter().cloned());
                            base
                        }
                        _ => continue,
                    };
                    let target = self.resolve(&absolute);
                    if &target != module {
                        targets.insert(target);
                    }
                }
            }
            edges.insert(module.clone(), targets);
        }
        edges
    }
}

/// A file's code without whole-line comments and without its trailing test module.
fn code_of(text: &str) -> String {
    let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text[..end].lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// The child a line declares (`mod plan;`, `pub(crate) mod plan;`), if it does.
fn declared_child(line: &str) -> Option<String> {
    let rest = line.strip_prefix("pub ").or_else(|| line.strip_prefix("pub(crate) ")).unwrap_or(line);
    let name = rest.strip_prefix("mod ")?.strip_suffix(';')?;
    name.chars().all(|c| c.is_alphanumeric() || c == '_').then(|| name.to_owned())
}

/// The paths starting with `crate::` or `super::` in a line, each as its segments; a
/// group (`crate::{a::X, b}`) gives one path per member.
fn paths_in(line: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = line[from..].find(start) {
            let begin = from + at;
            from = begin + start.len();
            let before = line[..begin].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let root = start.trim_end_matches(':').to_owned();
            let rest = &line[from..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or_default();
                for member in inner.split(',') {
                    let mut path = vec![root.clone()];
                    path.extend(segments(member.trim()));
                    paths.push(path);
                }
            } else {
                let mut path = vec![root];
                path.extend(segments(rest));
                paths.push(path);
            }
        }
    }
    paths
}

/// The leading `a::b::c` of `text`, as segments.
fn segments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in text.split("::") {
        let name: String = part.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if name.is_empty() {
            break;
        }
        let whole = name.len() == part.len();
        out.push(name);
        if !whole {
            break;
        }
    }
    out
}

fn show(module: &ModPath) -> String {
    if module.is_empty() {
        "crate root".to_owned()
    } else {
        module.join("::")
    }
}

/// Checks the crate whose sources are in `src`: no upward import, no loop. Returns what
/// it found, for the log.
pub fn check(src: &Path) -> Result<String, String> {
    let krate = Crate::read(src)?;
    let edges = krate.edges();
    let mut problems = Vec::new();
    for (module, targets) in &edges {
        for target in targets {
            if target.len() < module.len() && module.starts_with(target) {
                problems.push(format!("{} imports from its ancestor {}", show(module), show(target)));
            }
        }
    }
    if let Some(cycle) = find_cycle(&edges) {
        let names: Vec<String> = cycle.iter().map(show).collect();
        problems.push(format!("import loop: {}", names.join(" -> ")));
    }
    let count: usize = edges.values().map(BTreeSet::len).sum();
    if problems.is_empty() {
        Ok(format!("{}: {} modules, {count} imports, no loop and no upward import", src.display(), edges.len()))
    } else {
        Err(format!("{}: {}", src.display(), problems.join("; ")))
    }
}

/// A loop of the graph, if there is one (depth-first search with colours).
fn find_cycle(edges: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Option<Vec<ModPath>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        White,
        Grey,
        Black,
    }
    let mut colour: BTreeMap<&ModPath, Colour> = edges.keys().map(|k| (k, Colour::White)).collect();
    for start in edges.keys() {
        if colour[start] != Colour::White {
            continue;
        }
        // The path so far: each node with the index of its next child to visit.
        let mut stack: Vec<(&ModPath, usize)> = vec![(start, 0)];
        colour.insert(start, Colour::Grey);
        while let Some(top) = stack.len().checked_sub(1) {
            let (node, next) = stack[top];
            let child = edges.get(node).and_then(|t| t.iter().nth(next));
            let Some(child) = child else {
                colour.insert(node, Colour::Black);
                stack.pop();
                continue;
            };
            stack[top].1 += 1;
            match colour.get(child).copied().unwrap_or(Colour::Black) {
                Colour::White => {
                    colour.insert(child, Colour::Grey);
                    stack.push((child, 0));
                }
                Colour::Grey => {
                    let from = stack.iter().position(|(n, _)| *n == child).unwrap_or(0);
                    let mut cycle: Vec<ModPath> = stack[from..].iter().map(|(n, _)| (*n).clone()).collect();
                    cycle.push(child.clone());
                    return Some(cycle);
                }
                Colour::Black => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn krate(files: &[(&str, &str)]) -> Result<String, String> {
        let dir = std::env::temp_dir().join(format!("structure-{}-{}", std::process::id(), files.len()));
        let _ = fs::remove_dir_all(&dir);
        for (name, text) in files {
            let path = dir.join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let result = check(&dir);
        let _ = fs::remove_dir_all(&dir);
        result
    }

    #[test]
    fn finds_loops_and_upward_imports() {
        let ok = krate(&[
            ("lib.rs", "mod a;\nmod b;\npub use b::B;\n"),
            ("a.rs", "pub struct A;\n"),
            ("b.rs", "use crate::a::A;\nmod c;\npub struct B(A);\n"),
            ("b/c.rs", "use crate::a::A;\n// use crate::b::B;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n"),
        ]);
        assert!(ok.is_ok(), "{ok:?}");
        let up = krate(&[("lib.rs", "mod a;\npub struct R;\n"), ("a.rs", "use crate::R;\n")]);
        assert!(up.unwrap_err().contains("a imports from its ancestor crate root"));
        let parent =
            krate(&[("lib.rs", "mod a;\n"), ("a.rs", "mod b;\npub struct A;\n"), ("a/b.rs", "use super::A;\n")]);
        assert!(parent.unwrap_err().contains("a::b imports from its ancestor a"));
        let lop = krate(&[
            ("lib.rs", "mod a;\nmod b;\n"),
            ("a.rs", "use crate::{b::B};\npub struct A;\n"),
            ("b.rs", "pub struct B(crate::a::A);\n"),
        ]);
        let lop = lop.unwrap_err();
        assert!(lop.contains("import loop: a -> b -> a"), "{lop}");
    }
}
