//! Registry documentation from schemas. Each page under `docs/` is hand-written prose with marked
//! sections that are generated: the argument and attribute reference (from the schema, so it cannot
//! drift from what the provider serves), the example usage and the import command (copied from the
//! files under `examples/`, which the test suite formats and validates with Terraform).
//!
//! A section is everything between `<!-- BEGIN GENERATED: NAME -->` and `<!-- END GENERATED: NAME -->`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::resource::Provider;
use super::schema::{Attribute, Block, Mode, NestedBlock, Nesting, Schema};
use super::types::Type;
use super::value::Value;

/// The command that rewrites the generated sections of every page.
pub const REGENERATE_COMMAND: &str = "cargo run --example gen-docs";

/// The section holding the argument and attribute reference.
pub const REFERENCE_SECTION: &str = "reference";
/// The section holding the example configuration.
pub const EXAMPLE_SECTION: &str = "example";
/// The section holding the import command (resources only).
pub const IMPORT_SECTION: &str = "import";

#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    #[error("{page}: no `{marker}` marker (the page must keep its generated sections)")]
    MissingMarker { page: String, marker: String },
    #[error("{page}: the generated section `{section}` ends before it begins")]
    MisplacedMarker { page: String, section: String },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a page documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageKind {
    Provider,
    Resource,
    DataSource,
}

/// One registry page: the object it documents and where its page and example files live.
#[derive(Clone, Debug)]
pub struct DocPage {
    pub kind: PageKind,
    /// The full type name (`azureclassic_virtual_network`); the provider's name for the index.
    pub type_name: String,
    pub schema: Schema,
    /// The page's path, relative to the repository root.
    pub path: PathBuf,
}

/// Every page of a provider whose type names start with `{provider_name}_`, in the registry layout:
/// `docs/index.md`, `docs/resources/NAME.md`, `docs/data-sources/NAME.md` (NAME without the prefix).
pub fn pages<P: Provider>(provider: &P, provider_name: &str) -> Vec<DocPage> {
    let short = |type_name: &str| {
        let prefix = format!("{provider_name}_");
        type_name
            .strip_prefix(&prefix)
            .unwrap_or(type_name)
            .to_string()
    };
    let mut all = vec![DocPage {
        kind: PageKind::Provider,
        type_name: provider_name.to_string(),
        schema: provider.schema(),
        path: PathBuf::from("docs/index.md"),
    }];
    all.extend(provider.resources().iter().map(|r| DocPage {
        kind: PageKind::Resource,
        type_name: r.type_name().to_string(),
        schema: r.schema().clone(),
        path: PathBuf::from(format!("docs/resources/{}.md", short(r.type_name()))),
    }));
    all.extend(provider.data_sources().iter().map(|d| DocPage {
        kind: PageKind::DataSource,
        type_name: d.type_name().to_string(),
        schema: d.schema().clone(),
        path: PathBuf::from(format!("docs/data-sources/{}.md", short(d.type_name()))),
    }));
    all
}

impl DocPage {
    /// The page's name without the provider prefix (the file stem).
    pub fn short_name(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The example configuration shown on the page, as registry providers lay them out.
    pub fn example_path(&self) -> PathBuf {
        match self.kind {
            PageKind::Provider => PathBuf::from("examples/provider/provider.tf"),
            PageKind::Resource => PathBuf::from(format!(
                "examples/resources/{}/resource.tf",
                self.short_name()
            )),
            PageKind::DataSource => PathBuf::from(format!(
                "examples/data-sources/{}/data-source.tf",
                self.short_name()
            )),
        }
    }

    /// The import command shown on a resource's page.
    pub fn import_path(&self) -> Option<PathBuf> {
        (self.kind == PageKind::Resource).then(|| {
            PathBuf::from(format!(
                "examples/resources/{}/import.sh",
                self.short_name()
            ))
        })
    }

    /// The page as it should be: `current` with every generated section rendered afresh from the
    /// schema and the example files under `root`.
    pub fn regenerate(&self, root: &Path, current: &str) -> Result<String, DocsError> {
        let page = self.path.display().to_string();
        let example = read(&root.join(self.example_path()))?;
        let mut text = fill_section(
            current,
            &page,
            EXAMPLE_SECTION,
            &fenced("terraform", &example),
        )?;
        if let Some(import) = self.import_path() {
            let import = read(&root.join(import))?;
            text = fill_section(&text, &page, IMPORT_SECTION, &fenced("shell", &import))?;
        }
        fill_section(&text, &page, REFERENCE_SECTION, &reference(&self.schema))
    }
}

fn read(path: &Path) -> Result<String, DocsError> {
    std::fs::read_to_string(path).map_err(|source| DocsError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn fenced(language: &str, code: &str) -> String {
    format!("```{language}\n{}\n```\n", code.trim_end())
}

fn begin_marker(section: &str) -> String {
    format!("<!-- BEGIN GENERATED: {section} -->")
}

fn end_marker(section: &str) -> String {
    format!("<!-- END GENERATED: {section} -->")
}

/// The text of a generated section (between its markers, without them).
pub fn section<'a>(page_text: &'a str, page: &str, name: &str) -> Result<&'a str, DocsError> {
    let (start, end) = section_bounds(page_text, page, name)?;
    Ok(&page_text[start..end])
}

/// Replaces a generated section's text, keeping its markers and everything around them.
pub fn fill_section(
    page_text: &str,
    page: &str,
    name: &str,
    content: &str,
) -> Result<String, DocsError> {
    let (start, end) = section_bounds(page_text, page, name)?;
    Ok(format!(
        "{}\n{}{}",
        &page_text[..start],
        content,
        &page_text[end..]
    ))
}

fn section_bounds(page_text: &str, page: &str, name: &str) -> Result<(usize, usize), DocsError> {
    let find = |marker: String| {
        page_text
            .find(&marker)
            .map(|at| (at, at + marker.len()))
            .ok_or(DocsError::MissingMarker {
                page: page.to_string(),
                marker,
            })
    };
    let (_, start) = find(begin_marker(name))?;
    let (end, _) = find(end_marker(name))?;
    if end < start {
        return Err(DocsError::MisplacedMarker {
            page: page.to_string(),
            section: name.to_string(),
        });
    }
    Ok((start, end))
}

// ---------------------------------------------------------------- the reference

/// The argument and attribute reference of a schema, in markdown: top-level arguments (what the
/// user may set), attributes (set by the provider only), then one section per nested block.
pub fn reference(schema: &Schema) -> String {
    let block = &schema.block;
    let mut out = String::from("## Argument Reference\n\n");
    let arguments: Vec<&Attribute> = block
        .attributes
        .iter()
        .filter(|a| a.mode != Mode::Computed)
        .collect();
    if arguments.is_empty() && block.blocks.is_empty() {
        out.push_str("This has no arguments.\n");
    }
    for a in arguments {
        out.push_str(&attribute_line(a));
    }
    for b in &block.blocks {
        out.push_str(&block_line(b, ""));
    }
    // A provider block exports nothing; resources and data sources always have at least an id.
    let computed: Vec<&Attribute> = block
        .attributes
        .iter()
        .filter(|a| a.mode == Mode::Computed)
        .collect();
    if !computed.is_empty() {
        out.push_str("\n## Attribute Reference\n\n");
        out.push_str("In addition to the arguments above, these attributes are exported:\n\n");
        for a in computed {
            out.push_str(&attribute_line(a));
        }
    }
    for b in &block.blocks {
        nested_sections(b, "", &mut out);
    }
    out
}

/// `### Nested block \`a.b\``: every attribute of the block, then its own nested blocks.
fn nested_sections(nested: &NestedBlock, parent: &str, out: &mut String) {
    let path = format!("{parent}{}", nested.name);
    let _ = write!(out, "\n### Nested block `{path}`\n\n");
    let description = nested.block.description.trim();
    if !description.is_empty() {
        let _ = write!(out, "{description}\n\n");
    }
    for a in &nested.block.attributes {
        out.push_str(&attribute_line(a));
    }
    let child_parent = format!("{path}.");
    for b in &nested.block.blocks {
        out.push_str(&block_line(b, &child_parent));
    }
    for b in &nested.block.blocks {
        nested_sections(b, &child_parent, out);
    }
}

fn attribute_line(a: &Attribute) -> String {
    let mut flags = vec![type_name(&a.ty)];
    flags.push(
        match a.mode {
            Mode::Required => "Required",
            Mode::Optional => "Optional",
            Mode::Computed => "Computed",
            Mode::OptionalComputed => "Optional, Computed",
        }
        .to_string(),
    );
    if a.sensitive {
        flags.push("Sensitive".to_string());
    }
    if a.requires_replace {
        flags.push("Forces replacement".to_string());
    }
    if let Some(default) = &a.default {
        flags.push(format!("Default `{}`", hcl_literal(default)));
    }
    format!(
        "- `{}` ({}) {}\n",
        a.name,
        flags.join(", "),
        one_line(&a.description)
    )
}

fn block_line(b: &NestedBlock, parent: &str) -> String {
    let mut flags = vec![match b.nesting {
        Nesting::Single => "Block".to_string(),
        Nesting::List => "Block List".to_string(),
        Nesting::Set => "Block Set".to_string(),
    }];
    if b.min_items > 0 {
        flags.push(format!("Min: {}", b.min_items));
    } else {
        flags.push("Optional".to_string());
    }
    if b.max_items > 0 {
        flags.push(format!("Max: {}", b.max_items));
    }
    format!(
        "- `{}` ({}) {} See [`{parent}{}`](#nested-block-{}) below.\n",
        b.name,
        flags.join(", "),
        one_line(&b.block.description),
        b.name,
        anchor(&format!("{parent}{}", b.name))
    )
}

/// The anchor GitHub and the registry give the heading ``Nested block `a.b` ``.
fn anchor(path: &str) -> String {
    path.chars().filter(|c| *c != '.').collect()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::String => "String".to_string(),
        Type::Number => "Number".to_string(),
        Type::Bool => "Boolean".to_string(),
        Type::List(e) => format!("List of {}", type_name(e)),
        Type::Set(e) => format!("Set of {}", type_name(e)),
        Type::Map(e) => format!("Map of {}", type_name(e)),
        Type::Object(_) => "Object".to_string(),
    }
}

/// A known value as it would be written in HCL.
fn hcl_literal(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n
            .as_i64()
            .map_or_else(|| n.as_f64().to_string(), |i| i.to_string()),
        Value::List(items) | Value::Set(items) => format!(
            "[{}]",
            items.iter().map(hcl_literal).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) | Value::Object(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|(k, v)| format!("{k} = {}", hcl_literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Null => "null".to_string(),
        Value::Unknown => "(known after apply)".to_string(),
    }
}

/// Every attribute and nested block a schema documents, as dotted paths (`subnet.name`): what a page's
/// reference must list, no more, no less.
pub fn documented_names(block: &Block) -> Vec<String> {
    let mut names = Vec::new();
    collect_names(block, "", &mut names);
    names
}

fn collect_names(block: &Block, parent: &str, names: &mut Vec<String>) {
    for a in &block.attributes {
        names.push(format!("{parent}{}", a.name));
    }
    for b in &block.blocks {
        let path = format!("{parent}{}", b.name);
        names.push(path.clone());
        collect_names(&b.block, &format!("{path}."), names);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Schema {
        Schema::new(
            Block::new("A thing.")
                .attribute(
                    Attribute::required("name", Type::String)
                        .requires_replace()
                        .description("The name.\n  Changing it creates a new thing."),
                )
                .attribute(
                    Attribute::optional_computed("kind", Type::String)
                        .default(Value::string("IPsec"))
                        .description("The kind."),
                )
                .attribute(
                    Attribute::required("key", Type::String)
                        .sensitive()
                        .description("A key."),
                )
                .attribute(Attribute::computed("id", Type::String).description("The id."))
                .block(
                    NestedBlock::list(
                        "subnet",
                        Block::new("A subnet.").attribute(
                            Attribute::required("prefix", Type::list(Type::String))
                                .description("CIDRs."),
                        ),
                    )
                    .min_items(1),
                ),
        )
    }

    #[test]
    fn reference_lists_arguments_attributes_and_nested_blocks_with_their_flags() {
        let text = reference(&sample());
        let expected = "## Argument Reference\n\n\
            - `name` (String, Required, Forces replacement) The name. Changing it creates a new thing.\n\
            - `kind` (String, Optional, Computed, Default `\"IPsec\"`) The kind.\n\
            - `key` (String, Required, Sensitive) A key.\n\
            - `subnet` (Block List, Min: 1) A subnet. See [`subnet`](#nested-block-subnet) below.\n\
            \n## Attribute Reference\n\n\
            In addition to the arguments above, these attributes are exported:\n\n\
            - `id` (String, Computed) The id.\n\
            \n### Nested block `subnet`\n\n\
            A subnet.\n\n\
            - `prefix` (List of String, Required) CIDRs.\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn a_schema_without_computed_attributes_has_no_attribute_reference() {
        let provider = Schema::new(
            Block::new("p")
                .attribute(Attribute::optional("url", Type::String).description("The URL.")),
        );
        assert_eq!(
            reference(&provider),
            "## Argument Reference\n\n- `url` (String, Optional) The URL.\n"
        );
    }

    #[test]
    fn documented_names_cover_nested_attributes() {
        assert_eq!(
            documented_names(&sample().block),
            ["name", "kind", "key", "id", "subnet", "subnet.prefix"]
        );
    }

    #[test]
    fn sections_are_replaced_between_their_markers_only() {
        let page = "# T\n<!-- BEGIN GENERATED: reference -->\nold\n<!-- END GENERATED: reference -->\nprose\n";
        let filled = fill_section(page, "p.md", "reference", "new\n").expect("markers");
        assert_eq!(
            filled,
            "# T\n<!-- BEGIN GENERATED: reference -->\nnew\n<!-- END GENERATED: reference -->\nprose\n"
        );
        assert_eq!(
            section(&filled, "p.md", "reference").expect("markers"),
            "\nnew\n"
        );
        // Filling twice changes nothing: regeneration is idempotent.
        assert_eq!(
            fill_section(&filled, "p.md", "reference", "new\n").expect("markers"),
            filled
        );
    }

    #[test]
    fn a_page_without_its_markers_is_an_error_naming_the_marker() {
        let err = fill_section("# T\n", "p.md", "import", "x").expect_err("no markers");
        assert_eq!(
            err.to_string(),
            "p.md: no `<!-- BEGIN GENERATED: import -->` marker (the page must keep its generated sections)"
        );
        let reversed = "<!-- END GENERATED: a -->\n<!-- BEGIN GENERATED: a -->\n";
        assert!(matches!(
            fill_section(reversed, "p.md", "a", "x"),
            Err(DocsError::MisplacedMarker { .. })
        ));
    }
}
