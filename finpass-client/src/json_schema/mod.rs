//! `schemars::JsonSchema` (feature `schemars`) for the types that do not derive it.
//!
//! Every generated type derives `JsonSchema` through the generator's settings, except the
//! constrained-string newtypes: their schemas are the spec's, written by the generator
//! (`generated.rs`). The handwritten types progenitor is told to use (`ids`, `bureau`, `secret`,
//! `statement`) are described here, each as the spec's component of the same name says.
//! the contract suite checks every one of them against the spec.

mod generated;

use std::borrow::Cow;

use schemars::JsonSchema;
use schemars::r#gen::SchemaGenerator;
use schemars::schema::{ArrayValidation, InstanceType, Schema, SchemaObject};
use serde_json::json;

/// A schema the generator or this module wrote as JSON. They are all valid (the contract test builds
/// every one), so a parse failure would be a bug here; it degrades to "anything" rather than panic.
fn from_spec(json: &str) -> Schema {
    serde_json::from_str(json).unwrap_or(Schema::Bool(true))
}

/// A schema from a `json!` value (see [`from_spec`]).
fn from_value(value: serde_json::Value) -> Schema {
    serde_json::from_value(value).unwrap_or(Schema::Bool(true))
}

macro_rules! identifier_schema {
    ($name:ident, $pattern:literal, $description:literal) => {
        /// The spec's component of the same name: either case, as the client accepts it (it
        /// upper-cases before checking, and sends upper case).
        impl JsonSchema for crate::ids::$name {
            fn schema_name() -> String {
                stringify!($name).to_owned()
            }
            fn schema_id() -> Cow<'static, str> {
                Cow::Borrowed(concat!("finpass_client::ids::", stringify!($name)))
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                from_value(json!({
                    "type": "string",
                    "pattern": $pattern,
                    "description": $description,
                }))
            }
        }
    };
}

identifier_schema!(
    Pan,
    "^[A-Za-z0-9]{10}$",
    "Indian Permanent Account Number, 10 letters and digits."
);
identifier_schema!(
    Cin,
    "^[A-Za-z0-9]{21}$",
    "Corporate Identification Number, 21 letters and digits."
);
identifier_schema!(
    Llpin,
    "^[A-Za-z0-9]{3}-[A-Za-z0-9]{4}$",
    "LLP Identification Number, `AAA-1234`."
);

/// `MultiBureauBureaus`: at least one bureau, each at most once.
impl<B: JsonSchema> JsonSchema for crate::bureau::Bureaus<B> {
    fn schema_name() -> String {
        format!("{}s", B::schema_name())
    }
    fn schema_id() -> Cow<'static, str> {
        Cow::Owned(format!("finpass_client::Bureaus<{}>", B::schema_id()))
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        Schema::Object(SchemaObject {
            instance_type: Some(InstanceType::Array.into()),
            array: Some(Box::new(ArrayValidation {
                items: Some(generator.subschema_for::<B>().into()),
                min_items: Some(1),
                unique_items: Some(true),
                ..Default::default()
            })),
            ..Default::default()
        })
    }
}

/// `ItrPortalPassword`: a string sent, never returned. (The client also refuses an empty one; the
/// spec does not say so, so neither does the schema.)
impl JsonSchema for crate::secret::PortalPassword {
    fn schema_name() -> String {
        "ItrPortalPassword".to_owned()
    }
    fn schema_id() -> Cow<'static, str> {
        Cow::Borrowed("finpass_client::PortalPassword")
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        from_value(json!({
            "type": "string",
            "format": "password",
            "writeOnly": true,
            "description": "The taxpayer's Income Tax e-filing portal password.",
        }))
    }
}

/// `AaBsaStatementTransaction`: only `date` is documented; every other member is kept.
impl JsonSchema for crate::statement::Transaction {
    fn schema_name() -> String {
        "AaBsaStatementTransaction".to_owned()
    }
    fn schema_id() -> Cow<'static, str> {
        Cow::Borrowed("finpass_client::Transaction")
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        from_value(json!({
            "type": "object",
            "properties": {"date": {"type": "string", "description": "Date of the transaction (format not documented)."}},
            "additionalProperties": true,
            "description": "One AA-BSA statement transaction.",
        }))
    }
}
