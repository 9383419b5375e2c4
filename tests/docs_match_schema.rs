//! The documentation cannot drift from the provider: every resource and data source has its registry
//! page; every schema attribute (nested ones too) is on its page and the page names no other; the
//! generated sections are fresh; the configurations shown in the docs use only attributes the schemas
//! have; every rule id the docs cite exists; and every example under `examples/` is `terraform fmt`
//! clean and passes `terraform validate` against the provider binary.
//!
//! When a schema changes, `cargo run --example gen-docs` rewrites the generated sections.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use azureclassic::framework::docs::{
    documented_names, pages, section, DocPage, PageKind, REFERENCE_SECTION, REGENERATE_COMMAND,
};
use azureclassic::resources::AzureClassicProvider;
use azureclassic::rules::RuleId;
use support::{required_providers, run, terraforms, Workspace};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn all_pages() -> Vec<DocPage> {
    pages(&AzureClassicProvider, "azureclassic")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Fails with every problem at once, and how to fix them.
fn assert_no_problems(what: &str, problems: &[String], fix: &str) {
    assert!(
        problems.is_empty(),
        "{what}:\n  {}\n{fix}",
        problems.join("\n  ")
    );
}

/// For problems in generated sections.
fn regenerate_hint() -> String {
    format!("(the generated sections are rewritten by `{REGENERATE_COMMAND}`; the prose and the examples are written by hand)")
}

/// Files directly in `dir` with the extension `ext`.
fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

/// Every markdown file a user reads: the docs tree, the README, the examples' READMEs.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    for dir in ["docs", "docs/resources", "docs/data-sources", "docs/guides"] {
        files.extend(files_with_extension(&root().join(dir), "md"));
    }
    for dir in subdirectories(&root().join("examples")) {
        files.extend(files_with_extension(&dir, "md"));
    }
    files
}

fn subdirectories(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

// ---------------------------------------------------------------- pages and references

#[test]
fn every_resource_and_data_source_has_a_page_and_every_page_a_schema() {
    let pages = all_pages();
    let mut problems = Vec::new();
    for page in &pages {
        if !root().join(&page.path).is_file() {
            problems.push(format!(
                "{} has no page: write {} (prose, and the generated-section markers)",
                page.type_name,
                page.path.display()
            ));
        }
    }
    let known: BTreeSet<PathBuf> = pages.iter().map(|p| root().join(&p.path)).collect();
    for dir in ["docs/resources", "docs/data-sources"] {
        for file in files_with_extension(&root().join(dir), "md") {
            if !known.contains(&file) {
                problems.push(format!(
                    "{} documents no resource or data source of the provider",
                    file.display()
                ));
            }
        }
    }
    assert_no_problems("pages and schemas disagree", &problems, &regenerate_hint());
    assert_eq!(
        pages.len(),
        8,
        "the provider, five resources, two data sources"
    );
}

/// The names a page's reference section lists: `- \`name\`` bullets, prefixed by the nested block
/// whose `### Nested block \`path\`` heading they follow.
fn listed_names(reference: &str) -> Vec<String> {
    let mut parent = String::new();
    let mut names = Vec::new();
    for line in reference.lines() {
        if let Some(rest) = line.strip_prefix("### Nested block `") {
            parent = format!("{}.", rest.trim_end_matches('`'));
        } else if let Some(rest) = line.strip_prefix("- `") {
            if let Some((name, _)) = rest.split_once('`') {
                names.push(format!("{parent}{name}"));
            }
        }
    }
    names
}

#[test]
fn every_schema_attribute_is_on_its_page_and_the_page_names_no_other() {
    let mut problems = Vec::new();
    for page in all_pages() {
        let Ok(text) = fs::read_to_string(root().join(&page.path)) else {
            continue; // reported by the test above
        };
        let shown = page.path.display().to_string();
        let reference = match section(&text, &shown, REFERENCE_SECTION) {
            Ok(reference) => reference,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        let listed: BTreeSet<String> = listed_names(reference).into_iter().collect();
        let schema: BTreeSet<String> = documented_names(&page.schema.block).into_iter().collect();
        for missing in schema.difference(&listed) {
            problems.push(format!(
                "{shown}: `{missing}` of {} is not documented",
                page.type_name
            ));
        }
        for extra in listed.difference(&schema) {
            problems.push(format!(
                "{shown}: documents `{extra}`, which {} does not have",
                page.type_name
            ));
        }
    }
    assert_no_problems(
        "reference sections and schemas disagree",
        &problems,
        &regenerate_hint(),
    );
}

#[test]
fn generated_sections_are_fresh() {
    let mut problems = Vec::new();
    for page in all_pages() {
        let Ok(current) = fs::read_to_string(root().join(&page.path)) else {
            continue;
        };
        match page.regenerate(root(), &current) {
            Ok(fresh) if fresh == current => {}
            Ok(fresh) => {
                let differs = current
                    .lines()
                    .zip(fresh.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| current.lines().count().min(fresh.lines().count()));
                problems.push(format!(
                    "{} is stale from line {}: expected {:?}",
                    page.path.display(),
                    differs + 1,
                    fresh.lines().nth(differs).unwrap_or("(end of page)")
                ));
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    assert_no_problems("stale documentation", &problems, &regenerate_hint());
}

// ---------------------------------------------------------------- configurations shown in prose

/// The fenced `terraform` / `hcl` code blocks of a markdown text, each with its first line number.
fn code_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let fence = line.trim_start();
        match current.take() {
            None if fence == "```terraform" || fence == "```hcl" => {
                current = Some((i + 2, String::new()));
            }
            None => {}
            Some(block) if fence == "```" => blocks.push(block),
            Some((start, mut text)) => {
                text.push_str(line);
                text.push('\n');
                current = Some((start, text));
            }
        }
    }
    blocks
}

/// Terraform's own arguments and blocks, valid in any resource or data block.
const META: &[&str] = &[
    "count",
    "for_each",
    "provider",
    "depends_on",
    "lifecycle",
    "provisioner",
    "connection",
    "alias",
];

/// The attribute and block paths a configuration sets in its `resource`, `data` and `provider`
/// blocks of this provider, keyed by (kind, type name), with the line of each.
fn names_used(hcl: &str) -> Vec<(PageKind, String, String, usize)> {
    let mut used = Vec::new();
    // (kind, type) of the enclosing top-level block, and the nested block path inside it.
    let mut top: Option<(PageKind, String)> = None;
    let mut path: Vec<String> = Vec::new();
    let mut skip_depth: Option<usize> = None;
    for (i, raw) in hcl.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        let words: Vec<&str> = line.split_whitespace().collect();
        if top.is_none() {
            let quoted = |w: Option<&&str>| w.map(|w| w.trim_matches('"').to_string());
            top = match (words.first().copied(), quoted(words.get(1))) {
                (Some("resource"), Some(t)) if t.starts_with("azureclassic_") => {
                    Some((PageKind::Resource, t))
                }
                (Some("data"), Some(t)) if t.starts_with("azureclassic_") => {
                    Some((PageKind::DataSource, t))
                }
                (Some("provider"), Some(t)) if t == "azureclassic" => Some((PageKind::Provider, t)),
                _ => None,
            };
            if top.is_some() && !line.ends_with('{') {
                top = None; // a one-line block sets nothing worth checking
            }
            continue;
        }
        if line == "}" {
            if path.is_empty() {
                top = None;
            } else {
                path.pop();
                if skip_depth.is_some_and(|d| path.len() < d) {
                    skip_depth = None;
                }
            }
            continue;
        }
        let Some(name) = words.first().copied() else {
            continue;
        };
        let is_block = line.ends_with('{') && !line.contains('=');
        if skip_depth.is_none() && path.is_empty() && META.contains(&name) {
            if is_block {
                skip_depth = Some(path.len() + 1);
            }
        } else if skip_depth.is_none() && (is_block || line.contains('=')) {
            let (kind, type_name) = top.clone().expect("inside a block");
            let mut full = path.clone();
            full.push(name.to_string());
            used.push((kind, type_name, full.join("."), i));
        }
        if is_block {
            path.push(name.to_string());
        }
    }
    used
}

#[test]
fn configurations_in_the_docs_use_only_attributes_the_schemas_have() {
    let schemas: BTreeMap<(String, String), BTreeSet<String>> = all_pages()
        .into_iter()
        .map(|p| {
            let key = (format!("{:?}", p.kind), p.type_name.clone());
            (key, documented_names(&p.schema.block).into_iter().collect())
        })
        .collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in markdown_files() {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        for (start, block) in code_blocks(&text) {
            for (kind, type_name, name, line) in names_used(&block) {
                checked += 1;
                let at = format!("{}:{}", file.display(), start + line);
                match schemas.get(&(format!("{kind:?}"), type_name.clone())) {
                    None => problems.push(format!("{at}: no {kind:?} named {type_name}")),
                    Some(names) if !names.contains(&name) => {
                        problems.push(format!("{at}: {type_name} has no attribute `{name}`"))
                    }
                    Some(_) => {}
                }
            }
        }
    }
    assert_no_problems(
        "the docs show attributes the schemas lack",
        &problems,
        "(fix the configuration in the page, or the example file it is generated from)",
    );
    assert!(
        checked > 50,
        "only {checked} attributes found in the docs' code blocks"
    );
}

#[test]
fn the_scanners_find_nested_attributes_skip_meta_arguments_and_slug_headings() {
    let hcl = r#"
resource "azureclassic_virtual_network" "v" {
  name = "x" # a comment {
  lifecycle {
    ignore_changes = [name]
  }
  subnet {
    name = "GatewaySubnet"
  }
}
data "other_thing" "o" {
  whatever = 1
}
"#;
    let used: Vec<String> = names_used(hcl).into_iter().map(|u| u.2).collect();
    assert_eq!(used, ["name", "subnet", "subnet.name"]);
    let listed = listed_names("- `a` (String) x\n### Nested block `b`\n- `c` (String) y\n");
    assert_eq!(listed, ["a", "b.c"]);
    assert_eq!(slug("Nested block `a.b`"), "nested-block-ab");
    assert_eq!(
        slug("Existing virtual networks (procedure path 2)"),
        "existing-virtual-networks-procedure-path-2"
    );
}

// ---------------------------------------------------------------- links

/// The anchor GitHub (and the registry) gives a heading: lower case, spaces to `-`, punctuation dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(markdown: &str) -> BTreeSet<String> {
    markdown
        .lines()
        .filter_map(|l| {
            l.trim_start_matches('#')
                .strip_prefix(' ')
                .filter(|_| l.starts_with('#'))
        })
        .map(slug)
        .collect()
}

/// The targets of the inline links `[text](target)` of a markdown text.
fn link_targets(markdown: &str) -> Vec<String> {
    markdown
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split_once(')').map(|(target, _)| target.to_string()))
        .collect()
}

#[test]
fn relative_links_and_their_anchors_resolve() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in markdown_files() {
        let text = fs::read_to_string(&file).unwrap_or_default();
        for target in link_targets(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, anchor) = target.split_once('#').unwrap_or((target.as_str(), ""));
            let resolved = if path.is_empty() {
                file.clone()
            } else {
                file.parent().expect("a directory").join(path)
            };
            if !resolved.exists() {
                problems.push(format!("{}: no such file {target}", file.display()));
                continue;
            }
            if !anchor.is_empty() {
                let target_text = fs::read_to_string(&resolved).unwrap_or_default();
                if !anchors(&target_text).contains(anchor) {
                    problems.push(format!("{}: no heading for {target}", file.display()));
                }
            }
        }
    }
    assert_no_problems("broken links", &problems, "(fix the link or the heading)");
    assert!(checked > 20, "only {checked} links found");
}

// ---------------------------------------------------------------- rule ids

/// The rule ids a text cites: `CX-...` and `NET-...` words.
fn cited_rule_ids(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| (w.starts_with("CX-") || w.starts_with("NET-")) && w.len() > 4)
        .map(|w| w.trim_end_matches('-').to_string())
        .collect()
}

#[test]
fn rule_ids_in_the_docs_exist_and_the_index_and_readme_list_every_rule() {
    let known: BTreeSet<String> = RuleId::ALL.iter().map(|r| r.as_str().to_string()).collect();
    let mut problems = Vec::new();
    for file in markdown_files() {
        for id in cited_rule_ids(&fs::read_to_string(&file).unwrap_or_default()) {
            if !known.contains(&id) {
                problems.push(format!(
                    "{} cites {id}, which is not a rule",
                    file.display()
                ));
            }
        }
    }
    for page in ["docs/index.md", "README.md"] {
        let text = read(&root().join(page));
        for id in &known {
            if !text.contains(&format!("| `{id}` |")) {
                problems.push(format!("{page}: the rules table has no row for {id}"));
            }
        }
    }
    for page in all_pages().iter().filter(|p| p.kind != PageKind::Provider) {
        let text = fs::read_to_string(root().join(&page.path)).unwrap_or_default();
        if !text.contains("\n## Coexistence rules\n") {
            problems.push(format!(
                "{}: no `## Coexistence rules` section",
                page.path.display()
            ));
        }
    }
    assert_no_problems(
        "rule ids in the docs",
        &problems,
        "(rule ids are those of src/rules: RuleId::ALL)",
    );
}

// ---------------------------------------------------------------- examples with Terraform

/// Every directory under `examples/` holding `.tf` files (two levels: `examples/X`, `examples/X/Y`).
fn example_directories() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for dir in subdirectories(&root().join("examples")) {
        if !files_with_extension(&dir, "tf").is_empty() {
            dirs.push(dir.clone());
        }
        dirs.extend(
            subdirectories(&dir)
                .into_iter()
                .flat_map(|d| {
                    let mut inner = vec![d.clone()];
                    inner.extend(subdirectories(&d));
                    inner
                })
                .filter(|d| !files_with_extension(d, "tf").is_empty()),
        );
    }
    dirs
}

#[test]
fn examples_are_terraform_fmt_clean() {
    let terraform = &terraforms()[0];
    let mut cmd = Command::new(&terraform.path);
    cmd.args(["fmt", "-check", "-recursive", "-diff", "-no-color"])
        .arg(root().join("examples"))
        .env("CHECKPOINT_DISABLE", "1");
    let out = run(cmd, Duration::from_secs(60));
    assert!(
        out.success(),
        "terraform fmt -check -recursive examples failed: run `terraform fmt -recursive examples`\n{}",
        out.all()
    );
}

#[test]
fn every_example_validates_against_the_provider() {
    let dirs = example_directories();
    assert!(
        dirs.len() >= 10,
        "expected the provider, resource, data-source and scenario examples, found {dirs:?}"
    );
    for terraform in terraforms() {
        let mut failures = Vec::new();
        for dir in &dirs {
            let ws = Workspace::new(&terraform);
            let mut declares_provider = false;
            for file in files_with_extension(dir, "tf") {
                let text = read(&file);
                declares_provider |= text.contains("required_providers");
                let name = file.file_name().expect("a file name").to_string_lossy();
                ws.write(&name, &text);
            }
            if !declares_provider {
                // Registry-style snippets leave the provider's source out.
                ws.write("zz_required_providers.tf", &required_providers());
            }
            let out = ws.validate();
            if !out.success() {
                failures.push(format!("{}:\n{}", dir.display(), out.all()));
            }
        }
        assert!(
            failures.is_empty(),
            "terraform {} validate failed for:\n{}",
            terraform.version,
            failures.join("\n")
        );
    }
}
