//! The visible text of an HTML page, in blocks, as the extension's content script sees it.
//!
//! A *block* is a run of text not interrupted by a block-level element or a line break, such
//! as a paragraph or a list item; names are looked for within a block, never across two. The
//! tag lists here mirror `extension/src/content/text-blocks.ts`: keep them in sync.

use scraper::Html;
use scraper::node::Node;

/// Elements whose content is never annotated: not visible as text, code, or where the reader
/// types.
const SKIPPED: &[&str] = &[
    "head", "title", "script", "style", "noscript", "template", "textarea", "select", "option",
    "input", "button", "code", "pre", "kbd", "samp", "var", "svg", "math", "canvas", "video",
    "audio", "iframe", "object", "embed",
];

/// Elements that start and end a block.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "br",
    "img",
];

/// The visible text blocks of `html`, each with its white space collapsed to single spaces and
/// trimmed; empty blocks are left out.
pub fn text_blocks(html: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let mut blocks = Vec::new();
    let mut current = String::new();
    // Depth inside skipped elements; the tree is walked without recursion, so deeply nested
    // pages cannot overflow the stack.
    let mut skipping = 0usize;
    for edge in document.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if skipping > 0 || is_skipped(e) {
                        skipping += 1;
                    } else if BLOCKS.contains(&name) {
                        flush(&mut current, &mut blocks);
                    }
                }
                Node::Text(t) if skipping == 0 => current.push_str(t),
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if skipping > 0 {
                        skipping -= 1;
                    } else if BLOCKS.contains(&e.name()) {
                        flush(&mut current, &mut blocks);
                    }
                }
            }
        }
    }
    flush(&mut current, &mut blocks);
    blocks
}

fn is_skipped(e: &scraper::node::Element) -> bool {
    SKIPPED.contains(&e.name())
        || e.attr("hidden").is_some()
        || e.attr("contenteditable").is_some_and(|v| !v.eq_ignore_ascii_case("false"))
}

fn flush(current: &mut String, blocks: &mut Vec<String>) {
    let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.is_empty() {
        blocks.push(text);
    }
    current.clear();
}

/// True when `input` looks like HTML rather than plain text: its first non-blank character is
/// `<`.
pub fn looks_like_html(input: &str) -> bool {
    input.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']).starts_with('<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_skips() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\
            <h1>Mount <b>Hermon</b></h1><p>One<br>two</p><script>var x</script>\
            <textarea>Golan</textarea><div contenteditable>Paris</div><p hidden>gone</p>\
            <ul><li>a</li><li>b <code>x</code></li></ul></body></html>";
        assert_eq!(text_blocks(html), ["Mount Hermon", "One", "two", "a", "b"]);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<span>".repeat(20_000) + "Syria" + &"</span>".repeat(20_000);
        assert_eq!(text_blocks(&html), ["Syria"]);
    }
}
