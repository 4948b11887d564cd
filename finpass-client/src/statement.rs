//! One transaction of an AA-BSA statement, handwritten for speed.
//!
//! The docs name only `date`; the other members (amount, narration, balance, …) exist but are not
//! documented, and the client must not drop them. A generated struct would keep them in a
//! `#[serde(flatten)]` map, and serde's flatten buffers every member first: on a 50,000-transaction
//! statement that made typed decoding slower than `serde_json::Value` ([BENCHMARKS.md](https://github.com/finpass-rs/finpass-rs/blob/main/BENCHMARKS.md)). This type keeps
//! the transaction's JSON verbatim instead and parses members on demand, so decoding a statement is a
//! scan, and nothing the server sent is lost (it re-serialises byte for byte).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::personal::Redacted;

/// An AA-BSA statement transaction (`AaBsaStatementTransaction` in the spec).
#[derive(Clone)]
pub struct Transaction {
    date: Option<String>,
    raw: Box<RawValue>,
}

impl Transaction {
    /// The documented `date` (its format is not documented).
    ///
    /// ```
    /// use finpass_client::Transaction;
    ///
    /// let json = r#"{"date":"2024-05-01","amount":1250.5,"narration":"UPI/123"}"#;
    /// let transaction: Transaction = serde_json::from_str(json)?;
    /// assert_eq!(transaction.date(), Some("2024-05-01"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }

    /// Any member, documented or not, parsed on demand (e.g. `"amount"`).
    ///
    /// ```
    /// use finpass_client::Transaction;
    ///
    /// let json = r#"{"date":"2024-05-01","amount":1250.5,"narration":"UPI/123"}"#;
    /// let transaction: Transaction = serde_json::from_str(json)?;
    /// assert_eq!(transaction.get("amount"), Some(serde_json::json!(1250.5)));
    /// assert_eq!(transaction.get("balance"), None);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn get(&self, member: &str) -> Option<serde_json::Value> {
        self.members().ok()?.remove(member)
    }

    /// Every member of the transaction.
    ///
    /// ```
    /// use finpass_client::Transaction;
    ///
    /// let json = r#"{"date":"2024-05-01","amount":1250.5,"narration":"UPI/123"}"#;
    /// let transaction: Transaction = serde_json::from_str(json)?;
    /// let members = transaction.members()?;
    /// assert_eq!(members.keys().collect::<Vec<_>>(), ["amount", "date", "narration"]);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn members(&self) -> Result<serde_json::Map<String, serde_json::Value>, serde_json::Error> {
        serde_json::from_str(self.raw.get())
    }

    /// The transaction's JSON exactly as received.
    ///
    /// ```
    /// use finpass_client::Transaction;
    ///
    /// let json = r#"{"date":"2024-05-01","amount":1250.5,"narration":"UPI/123"}"#;
    /// let transaction: Transaction = serde_json::from_str(json)?;
    /// assert_eq!(transaction.raw_json(), json);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn raw_json(&self) -> &str {
        self.raw.get()
    }
}

impl<'de> Deserialize<'de> for Transaction {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Documented {
            #[serde(default)]
            date: Option<String>,
        }
        let raw = Box::<RawValue>::deserialize(d)?;
        if !raw.get().starts_with('{') {
            return Err(serde::de::Error::custom(
                "a transaction must be a JSON object",
            ));
        }
        let documented: Documented =
            serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
        Ok(Transaction {
            date: documented.date,
            raw,
        })
    }
}

impl Serialize for Transaction {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

impl PartialEq for Transaction {
    fn eq(&self, other: &Self) -> bool {
        self.raw.get() == other.raw.get()
    }
}

/// Shows only the size: a transaction is personal financial data (the spec's
/// `AaBsaStatementTransaction` is `x-finpass-personal: financial`), so its date and members are
/// redacted unless revealed ([`crate::Reveal`]).
impl fmt::Debug for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const FINANCIAL: &str = "financial";
        f.debug_struct("Transaction")
            .field(
                "date",
                &self
                    .date
                    .as_ref()
                    .map(|date| Redacted::new(FINANCIAL, date)),
            )
            .field("json_bytes", &self.raw.get().len())
            .field(
                "json",
                &Redacted::new(FINANCIAL, &format_args!("{}", self.raw.get())),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_undocumented_members_verbatim_and_reads_the_documented_one() {
        let text = r#"{"date":"2024-05-01","amount":1250.5,"narration":"UPI/123","type":"DEBIT"}"#;
        let t: Transaction = serde_json::from_str(text).unwrap();
        assert_eq!(t.date(), Some("2024-05-01"));
        assert_eq!(t.get("amount"), Some(serde_json::json!(1250.5)));
        assert_eq!(serde_json::to_string(&t).unwrap(), text);
        let shown = format!("{t:?}");
        assert!(
            !shown.contains("UPI") && !shown.contains("2024-05-01"),
            "{shown}"
        );
        assert!(shown.contains("<redacted: financial>"), "{shown}");
        assert!(format!("{:?}", crate::Reveal(&t)).contains("UPI/123"));
        assert!(serde_json::from_str::<Transaction>(r#"{"date": 5}"#).is_err());
        assert!(serde_json::from_str::<Transaction>(r#"[]"#).is_err());
    }
}
