//! What the spec marks `x-boxed`: a large schema that generated types hold
//! in a `Box` wherever one of their fields has it. The profile claims (over
//! 400 bytes, every claim optional) would otherwise sit inline in each
//! account, and each move of an account, of which a call makes several,
//! would copy them.

use std::collections::BTreeSet;

use openapiv3::{OpenAPI, ReferenceOr};
use syn::{Fields, GenericArgument, Item, PathArguments, Type};

use crate::generated_types::{local_type_name, types_module};

/// The extension that marks a schema as boxed where it is held.
const BOXED: &str = "x-boxed";

/// The component schemas `spec` marks `x-boxed: true`.
pub fn boxed_schemas(spec: &OpenAPI) -> BTreeSet<String> {
    let Some(components) = &spec.components else {
        return BTreeSet::new();
    };
    components
        .schemas
        .iter()
        .filter_map(|(name, schema)| match schema {
            ReferenceOr::Item(schema)
                if schema.schema_data.extensions.get(BOXED)
                    == Some(&serde_json::Value::Bool(true)) =>
            {
                Some(name.clone())
            }
            _ => None,
        })
        .collect()
}

/// Wraps every field of a generated type whose type is one of `boxed` (or
/// an `Option` of one) in a `Box`; returns how many fields it wrapped.
pub fn apply(boxed: &BTreeSet<String>, file: &mut syn::File) -> usize {
    let Some(types) = types_module(file) else {
        return 0;
    };
    let mut wrapped = 0;
    for item in types.iter_mut() {
        let Item::Struct(item) = item else { continue };
        let Fields::Named(fields) = &mut item.fields else {
            continue;
        };
        for field in &mut fields.named {
            if local_type_name(&field.ty).is_some_and(|name| boxed.contains(&name)) {
                box_innermost(&mut field.ty);
                wrapped += 1;
            }
        }
    }
    wrapped
}

/// `T` becomes `Box<T>`, `Option<T>` becomes `Option<Box<T>>`.
fn box_innermost(ty: &mut Type) {
    if let Type::Path(path) = ty
        && let Some(last) = path.path.segments.last_mut()
        && last.ident == "Option"
        && let PathArguments::AngleBracketed(args) = &mut last.arguments
        && let Some(GenericArgument::Type(inner)) = args.args.first_mut()
    {
        box_innermost(inner);
        return;
    }
    let inner = ty.clone();
    *ty = syn::parse_quote!(::std::boxed::Box<#inner>);
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn fields_of_a_boxed_type_are_boxed_and_others_left_alone() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Account {
                    pub profile: ::std::option::Option<Profile>,
                    pub required: Profile,
                    pub name: ::std::option::Option<::std::string::String>,
                }
                pub struct Profile {
                    pub given_name: ::std::option::Option<::std::string::String>,
                }
            }
        };
        let boxed = BTreeSet::from(["Profile".to_owned()]);
        assert_eq!(apply(&boxed, &mut file), 2);
        let expected: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Account {
                    pub profile: ::std::option::Option<::std::boxed::Box<Profile> >,
                    pub required: ::std::boxed::Box<Profile>,
                    pub name: ::std::option::Option<::std::string::String>,
                }
                pub struct Profile {
                    pub given_name: ::std::option::Option<::std::string::String>,
                }
            }
        };
        assert_eq!(
            file.to_token_stream().to_string(),
            expected.to_token_stream().to_string()
        );
    }
}
