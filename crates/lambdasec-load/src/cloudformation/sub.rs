//! The template language of `Fn::Sub`: literal text and `${Name}` / `${Resource.Attribute}`
//! variables; `${!Literal}` writes `${Literal}`.

/// A piece of a `Fn::Sub` string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(String),
    /// `${Name}` or `${Name.Attribute}`, trimmed.
    Var(&'a str),
}

/// Split a `Fn::Sub` template into text and variables. An unterminated `${` is text, as
/// CloudFormation treats it.
pub(crate) fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(i) = rest.find("${") {
        text.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 2..).unwrap_or("");
        match after.find('}') {
            Some(j) => {
                let inner = after.get(..j).unwrap_or("");
                if let Some(literal) = inner.strip_prefix('!') {
                    text.push_str("${");
                    text.push_str(literal);
                    text.push('}');
                } else {
                    if !text.is_empty() {
                        out.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    out.push(Piece::Var(inner.trim()));
                }
                rest = after.get(j + 1..).unwrap_or("");
            }
            None => {
                text.push_str("${");
                rest = after;
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_text_and_variables() {
        assert_eq!(
            pieces("arn:${AWS::Partition}:s3:::${Bucket}/*"),
            vec![
                Piece::Text("arn:".into()),
                Piece::Var("AWS::Partition"),
                Piece::Text(":s3:::".into()),
                Piece::Var("Bucket"),
                Piece::Text("/*".into()),
            ]
        );
        assert_eq!(pieces("${Fn.Arn}"), vec![Piece::Var("Fn.Arn")]);
        assert_eq!(pieces(""), vec![]);
    }

    #[test]
    fn literals_and_unterminated() {
        assert_eq!(
            pieces("echo ${!HOME} ${ X }"),
            vec![Piece::Text("echo ${HOME} ".into()), Piece::Var("X")]
        );
        assert_eq!(pieces("a ${b"), vec![Piece::Text("a ${b".into())]);
    }
}
