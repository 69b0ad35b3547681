//! Region-level settings (GuardDuty, Inspector) and the functions they protect.

use crate::Context;
use lambdasec_model::{AccountSettings, Function, scope_of};

/// How many functions a region-level finding names as related locations.
pub(crate) const SHOWN_FUNCTIONS: usize = 5;

/// The functions of the account and region `settings` describes (live inventories only: a
/// template's functions have no account or region).
pub(crate) fn functions_in<'a>(cx: &Context<'a>, settings: &AccountSettings) -> Vec<&'a Function> {
    let Some(scope) = scope_of(&settings.meta) else {
        return Vec::new();
    };
    cx.inventory
        .functions
        .iter()
        .filter(|f| scope_of(&f.meta) == Some(scope))
        .collect()
}

/// "region `eu-west-1` of account `111122223333`".
pub(crate) fn describe(settings: &AccountSettings) -> String {
    format!(
        "region `{}` of account `{}`",
        settings.region.as_str().unwrap_or("?"),
        settings.account_id.as_str().unwrap_or("?")
    )
}

/// "1 function" / "3 functions".
pub(crate) fn count(functions: &[&Function]) -> String {
    match functions.len() {
        1 => "1 function".to_owned(),
        n => format!("{n} functions"),
    }
}
