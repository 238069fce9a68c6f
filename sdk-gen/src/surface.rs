//! The generated API as sorted lines, so that any change to it shows up in
//! review as a diff of `openapi/surface.txt`.

use quote::ToTokens;
use syn::{Fields, ImplItem, Item, Visibility};

/// One line per public method of the generated `Client`, per generated type,
/// per field and per variant, sorted.
pub fn surface(code: &str) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse_str(code)?;
    let mut lines = Vec::new();
    for item in &file.items {
        match item {
            Item::Impl(block) if is_client(&block.self_ty) && block.trait_.is_none() => {
                for member in &block.items {
                    if let ImplItem::Fn(method) = member
                        && matches!(method.vis, Visibility::Public(_))
                    {
                        lines.push(format!("method {}", tokens(&method.sig)));
                    }
                }
            }
            Item::Mod(module) if module.ident == "types" => {
                for item in module.content.iter().flat_map(|(_, items)| items) {
                    type_lines(item, &mut lines);
                }
            }
            _ => {}
        }
    }
    lines.sort();
    lines.push(String::new());
    Ok(lines.join("\n"))
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("Client"))
}

fn type_lines(item: &Item, lines: &mut Vec<String>) {
    match item {
        Item::Struct(item) if matches!(item.vis, Visibility::Public(_)) => {
            let name = &item.ident;
            lines.push(format!("type {name} (struct)"));
            match &item.fields {
                Fields::Named(fields) => {
                    for field in &fields.named {
                        if let Some(field_name) = &field.ident {
                            lines.push(format!("field {name}.{field_name}: {}", tokens(&field.ty)));
                        }
                    }
                }
                Fields::Unnamed(fields) => {
                    let types: Vec<String> = fields.unnamed.iter().map(|f| tokens(&f.ty)).collect();
                    lines.push(format!("field {name}.0: ({})", types.join(", ")));
                }
                Fields::Unit => {}
            }
        }
        Item::Enum(item) if matches!(item.vis, Visibility::Public(_)) => {
            let name = &item.ident;
            lines.push(format!("type {name} (enum)"));
            for variant in &item.variants {
                let fields = match &variant.fields {
                    Fields::Unit => String::new(),
                    fields => tokens(fields),
                };
                lines.push(format!("variant {name}::{}{fields}", variant.ident));
            }
        }
        _ => {}
    }
}

/// Tokens as compact Rust text: `& 'a types :: X ,)` becomes `&'a types::X)`.
fn tokens(node: &impl ToTokens) -> String {
    let mut text = node.to_token_stream().to_string();
    for (from, to) in [
        (":: ", "::"),
        (" ::", "::"),
        (" : ", ": "),
        (" ,", ","),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        ("( ", "("),
        (" (", "("),
        (" )", ")"),
        ("& ", "&"),
        (",)", ")"),
        (", )", ")"),
        (",>", ">"),
        (", >", ">"),
    ] {
        text = text.replace(from, to);
    }
    // Commas separate items in signatures and types: one space after each.
    text.replace(", ", ",").replace(',', ", ")
}
