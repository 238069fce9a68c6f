//! What the spec marks `x-secret`, and what that does to the generated code.
//!
//! A property or parameter with `x-secret: true` carries a secret. The
//! generated types then print it as `***` in `Debug` (they are reachable
//! through the SDK's `bindings()`), and the generated file lists the secret
//! wire names (`SECRET_FIELDS`, `SECRET_HEADERS`) for the SDK's redaction:
//! the spec is the one place that says which values are secret.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, Parameter, ReferenceOr, Schema, SchemaKind, Type};
use quote::quote;
use syn::{Fields, Item};

use crate::generated_types::{local_type_name, types_module};

/// The extension that marks a property or parameter as secret.
const SECRET: &str = "x-secret";

/// The secrets a spec declares.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Secrets {
    /// Component schema name → the wire names of its secret properties.
    pub properties: BTreeMap<String, BTreeSet<String>>,
    /// Wire names of secret header parameters.
    pub headers: BTreeSet<String>,
    /// Component schemas used as the type of a secret header.
    pub header_types: BTreeSet<String>,
}

impl Secrets {
    /// Reads the `x-secret` marks of `spec`.
    pub fn of(spec: &OpenAPI) -> Self {
        let mut secrets = Secrets::default();
        let Some(components) = &spec.components else {
            return secrets;
        };
        for (name, schema) in &components.schemas {
            if let ReferenceOr::Item(schema) = schema {
                let marked = secret_properties(schema);
                if !marked.is_empty() {
                    secrets.properties.insert(name.clone(), marked);
                }
            }
        }
        let parameters = components
            .parameters
            .values()
            .chain(spec.operations().flat_map(|(_, _, op)| &op.parameters));
        for parameter in parameters {
            if let ReferenceOr::Item(Parameter::Header { parameter_data, .. }) = parameter
                && is_marked(parameter_data.extensions.get(SECRET))
            {
                secrets.headers.insert(parameter_data.name.to_lowercase());
                if let openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Reference {
                    reference,
                }) = &parameter_data.format
                    && let Some(name) = reference.strip_prefix("#/components/schemas/")
                {
                    secrets.header_types.insert(name.to_owned());
                }
            }
        }
        secrets
    }

    /// Every secret property's wire name, whatever schema it is in.
    pub fn field_names(&self) -> BTreeSet<&str> {
        self.properties
            .values()
            .flatten()
            .map(String::as_str)
            .collect()
    }

    /// Rewrites the generated code: secret fields and the newtypes that hold
    /// them print `***` in `Debug`, and the wire names become constants.
    pub fn apply(&self, file: &mut syn::File) {
        let Some(types) = types_module(file) else {
            return;
        };
        let mut redacted_types: BTreeSet<String> = self.header_types.clone();
        let mut redacted_structs = Vec::new();
        for item in types.iter() {
            if let Item::Struct(item) = item
                && let Some(secret) = self.properties.get(&item.ident.to_string())
                && let Fields::Named(fields) = &item.fields
            {
                let mut field_secrets = Vec::new();
                for field in &fields.named {
                    let is_secret = wire_name(field).is_some_and(|name| secret.contains(&name));
                    if is_secret && let Some(newtype) = local_type_name(&field.ty) {
                        redacted_types.insert(newtype);
                    }
                    field_secrets.push(is_secret);
                }
                redacted_structs.push((item.ident.to_string(), field_secrets));
            }
        }
        let mut impls = Vec::new();
        for item in types.iter_mut() {
            let Item::Struct(item) = item else { continue };
            let name = item.ident.to_string();
            if redacted_types.contains(&name) {
                remove_debug_derive(&mut item.attrs);
                impls.push(redacted_newtype_debug(&item.ident));
            } else if let Some((_, secret_fields)) = redacted_structs
                .iter()
                .find(|(struct_name, _)| *struct_name == name)
                && let Fields::Named(fields) = &item.fields
            {
                remove_debug_derive(&mut item.attrs);
                impls.push(redacted_struct_debug(&item.ident, fields, secret_fields));
            }
        }
        types.extend(impls);
        let fields: Vec<&str> = self.field_names().into_iter().collect();
        let headers: Vec<&str> = self.headers.iter().map(String::as_str).collect();
        file.items.push(syn::parse_quote! {
            /// The wire names of the body fields the spec marks `x-secret`:
            /// their values, and every string under them, are secrets.
            pub const SECRET_FIELDS: &[&str] = &[#(#fields),*];
        });
        file.items.push(syn::parse_quote! {
            /// The (lower-case) names of the headers the spec marks `x-secret`.
            pub const SECRET_HEADERS: &[&str] = &[#(#headers),*];
        });
    }
}

/// Whether an extension value (`extensions.get(SECRET)`) marks a secret.
fn is_marked(mark: Option<&serde_json::Value>) -> bool {
    mark == Some(&serde_json::Value::Bool(true))
}

fn secret_properties(schema: &Schema) -> BTreeSet<String> {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return BTreeSet::new();
    };
    object
        .properties
        .iter()
        .filter(|(_, property)| match property {
            ReferenceOr::Item(property) => is_marked(property.schema_data.extensions.get(SECRET)),
            ReferenceOr::Reference { .. } => false,
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// The JSON name of a field: its `#[serde(rename = "...")]`, else its ident.
fn wire_name(field: &syn::Field) -> Option<String> {
    let mut renamed = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                renamed = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                // Skip other `key = value` settings.
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    renamed.or_else(|| field.ident.as_ref().map(ToString::to_string))
}

fn remove_debug_derive(attrs: &mut [syn::Attribute]) {
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|path| path.segments.last().is_none_or(|s| s.ident != "Debug"))
            .collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
}

fn redacted_newtype_debug(name: &syn::Ident) -> Item {
    let label = format!("{name}(***)");
    syn::parse_quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#label)
            }
        }
    }
}

fn redacted_struct_debug(name: &syn::Ident, fields: &syn::FieldsNamed, secret: &[bool]) -> Item {
    let label = name.to_string();
    let entries = fields
        .named
        .iter()
        .zip(secret)
        .filter_map(|(field, &secret)| {
            let ident = field.ident.as_ref()?;
            let key = ident.to_string();
            Some(if secret {
                quote!(.field(#key, &format_args!("***")))
            } else {
                quote!(.field(#key, &self.#ident))
            })
        });
    syn::parse_quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#entries)* .finish()
            }
        }
    }
}
