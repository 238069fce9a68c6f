//! Finding one's way in the generated code: the `types` module and the
//! types its fields name.

use syn::Item;

/// The items of the generated `types` module.
pub(crate) fn types_module(file: &mut syn::File) -> Option<&mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "types" => module.content.as_mut().map(|(_, i)| i),
        _ => None,
    })
}

/// The name of a type defined in `types` (a bare single-segment path, or
/// one inside `Option<...>`).
pub(crate) fn local_type_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident == "Option"
        && let syn::PathArguments::AngleBracketed(args) = &last.arguments
        && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
    {
        return local_type_name(inner);
    }
    (path.path.segments.len() == 1 && last.arguments.is_empty()).then(|| last.ident.to_string())
}
