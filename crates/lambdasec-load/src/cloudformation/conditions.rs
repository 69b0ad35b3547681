//! Conditions: `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` and `Condition`, in three-valued
//! logic (`None` when a value is not knowable offline).

use super::intrinsics::{intrinsic, is_known};
use super::template::Template;
use lambdasec_model::{Node, NodeKind, Origin};

impl Template<'_> {
    /// The value of the condition `name` (memoized; cycles and unknown names are `None`).
    pub(crate) fn condition(&self, name: &str, at: &Origin) -> Option<bool> {
        if let Some(v) = self.condition_cache().borrow().get(name) {
            return *v;
        }
        let Some(expr) = self.condition_expr(name) else {
            self.diags
                .warn(format!("condition `{name}` is not declared"), at);
            self.condition_cache()
                .borrow_mut()
                .insert(name.to_owned(), None);
            return None;
        };
        // In progress: a cycle reads as unknown.
        self.condition_cache()
            .borrow_mut()
            .insert(name.to_owned(), None);
        let value = self.condition_value(expr, 0);
        self.condition_cache()
            .borrow_mut()
            .insert(name.to_owned(), value);
        value
    }

    /// The value of a condition expression.
    pub(crate) fn condition_value(&self, n: &Node, depth: usize) -> Option<bool> {
        if depth > 64 {
            return None;
        }
        if let NodeKind::Bool(b) = n.kind {
            return Some(b);
        }
        let (name, arg) = match intrinsic(n) {
            Some(call) => call,
            None => {
                let [e] = n.as_map()? else {
                    return None;
                };
                if e.key != "Condition" {
                    return None;
                }
                ("Condition", &e.value)
            }
        };
        let items = arg.as_list().unwrap_or(std::slice::from_ref(arg));
        match name {
            "Condition" => self.condition(arg.as_str()?, &arg.origin),
            "Fn::Equals" => {
                let [a, b] = items else {
                    self.diags.warn("`Fn::Equals` needs two values", &n.origin);
                    return None;
                };
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                if !is_known(&a) || !is_known(&b) {
                    return None;
                }
                Some(text(&a) == text(&b))
            }
            "Fn::Not" => {
                let [x] = items else {
                    self.diags.warn("`Fn::Not` needs one condition", &n.origin);
                    return None;
                };
                self.condition_value(x, depth + 1).map(|b| !b)
            }
            "Fn::And" | "Fn::Or" => {
                let want = name == "Fn::Or";
                let mut unknown = false;
                for x in items {
                    match self.condition_value(x, depth + 1) {
                        Some(b) if b == want => return Some(want),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                if unknown { None } else { Some(!want) }
            }
            "Fn::If" => {
                // A condition chosen by another condition.
                let v = self.eval(n)?;
                match v.kind {
                    NodeKind::Bool(b) => Some(b),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// Values compare as CloudFormation compares them: scalars by their text.
fn text(n: &Node) -> String {
    n.scalar_text().unwrap_or_else(|| n.to_json_text())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoadOptions;
    use lambdasec_model::{FileId, SourceFile};

    fn conditions(text: &str, options: LoadOptions, names: &[&str]) -> Vec<Option<bool>> {
        let file = SourceFile::new(FileId(0), "t.yaml", text);
        let doc = crate::yaml::parse(&file).unwrap();
        let t = Template::new(&file, &doc.root, &options);
        names
            .iter()
            .map(|n| t.condition(n, &Origin::Unknown))
            .collect()
    }

    const TEXT: &str = r#"
Parameters:
  Env: {Type: String, Default: prod}
  Free: {Type: String}
  Count: {Type: Number, Default: 3}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsFree: !Equals [!Ref Free, x]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Condition IsFree]
  Either: !Or [!Condition IsProd, !Condition IsFree]
  NoneOf: !And [!Condition NotProd, !Condition IsFree]
  Three: !Equals [!Ref Count, "3"]
  Loop: !Not [!Condition Loop]
  Region: !Equals [!Ref "AWS::Region", us-east-1]
  Long: {"Fn::Equals": [{"Ref": "Env"}, "dev"]}
"#;

    #[test]
    fn three_valued_logic() {
        let names = [
            "IsProd", "IsFree", "NotProd", "Both", "Either", "NoneOf", "Three", "Loop", "Region",
            "Long", "Missing",
        ];
        let got = conditions(TEXT, LoadOptions::default(), &names);
        assert_eq!(
            got,
            vec![
                Some(true),
                None,
                Some(false),
                None,
                Some(true),
                Some(false),
                Some(true),
                None,
                None,
                Some(false),
                None
            ]
        );
        let mut options = LoadOptions {
            region: Some("us-east-1".into()),
            ..LoadOptions::default()
        };
        options.parameters.insert("Free".into(), "x".into());
        let got = conditions(TEXT, options, &["IsFree", "Both", "Region"]);
        assert_eq!(got, vec![Some(true), Some(true), Some(true)]);
    }
}
