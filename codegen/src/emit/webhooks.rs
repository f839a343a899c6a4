//! The `webhooks` module of a generated crate: one enum of the events the API sends
//! (OpenAPI 3.1 `webhooks`), which a receiver decodes a request body into by the
//! webhook's name. Emitted only when the spec declares webhooks.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, ty_tokens, Position};
use crate::ir::Api;

/// The module's text, in one part: it is small.
pub(super) fn module(api: &Api) -> TokenStream {
    let names: Vec<String> = api.webhooks.iter().map(|w| dispatch_name(api, w)).collect();
    let variants = api.webhooks.iter().map(|w| {
        let name = ident(&w.name);
        let ty = ty_tokens(api, &w.ty, Position::Field);
        let doc = docs::doc_attrs(w.doc.as_deref(), &format!("The `{}` webhook.", w.key));
        quote!(#doc #name(#ty),)
    });
    let decode_arms = api.webhooks.iter().zip(&names).map(|(w, wire)| {
        let name = ident(&w.name);
        quote!(#wire => serde_json::from_slice(body).map(Self::#name).map_err(WebhookError::Body),)
    });
    let name_arms = api.webhooks.iter().zip(&names).map(|(w, wire)| {
        let name = ident(&w.name);
        quote!(Self::#name(_) => #wire,)
    });
    quote! {
        //! Events the API sends to your endpoints (the `webhooks` of its description):
        //! decode a request body with [`Webhook::decode`] and the webhook's name.
        #![allow(
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            reason = "docs come verbatim from the spec"
        )]
        #[allow(unused_imports, reason = "not every webhook uses a named type")]
        use crate::types::*;

        /// An event the API sends to an endpoint of yours, decoded from its body.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant, reason = "one event is decoded per request")]
        pub enum Webhook {
            #(#variants)*
        }

        impl Webhook {
            /// Every webhook's name, as [`Webhook::decode`] takes it.
            pub const NAMES: &'static [&'static str] = &[#(#names),*];

            /// Decodes the JSON `body` of the webhook called `name` in the API's
            /// description (one of [`Webhook::NAMES`]).
            pub fn decode(name: &str, body: &[u8]) -> Result<Self, WebhookError> {
                match name {
                    #(#decode_arms)*
                    _ => Err(WebhookError::UnknownName(name.to_owned())),
                }
            }

            /// The webhook's name, as [`Webhook::decode`] takes it.
            pub fn name(&self) -> &'static str {
                match self {
                    #(#name_arms)*
                }
            }
        }

        /// Why a webhook body could not be decoded.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum WebhookError {
            /// The API's description has no webhook of this name.
            UnknownName(String),
            /// The body is not the webhook's payload.
            Body(serde_json::Error),
        }

        impl std::fmt::Display for WebhookError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::UnknownName(name) => write!(f, "unknown webhook `{name}`"),
                    Self::Body(e) => write!(f, "the webhook body does not decode: {e}"),
                }
            }
        }

        impl std::error::Error for WebhookError {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Self::UnknownName(_) => None,
                    Self::Body(e) => Some(e),
                }
            }
        }
    }
}

/// The name a receiver decodes a webhook by: its name in the spec, with the method in
/// front when the webhook has several.
fn dispatch_name(api: &Api, w: &crate::ir::Webhook) -> String {
    if api.webhooks.iter().filter(|o| o.key == w.key).count() > 1 {
        format!("{} {}", w.method.to_uppercase(), w.key)
    } else {
        w.key.clone()
    }
}
