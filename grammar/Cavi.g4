// The cavi model language. Statements are self-delimiting, so line breaks are
// free: a statement may span lines, and a ';' between statements is optional.
grammar Cavi;

program    : statement* EOF ;
exprOnly   : expr EOF ;

statement
    : MODEL name=ID ';'?                                         # modelDecl
    | CONST name=ID '=' value=expr ';'?                          # constDecl
    | DATA name=ID '[' dims+=expr (',' dims+=expr)* ']'
      (FROM path=STRING)? ';'?                                   # dataDecl
    | fn=ID '(' members+=target (',' members+=target)* ')' ';'?     # jointDecl
    | lhs=target '~' dist=ID '(' (args+=expr (',' args+=expr)*)? ')'
      plate* ';'?                                                # tildeStmt
    ;

target     : name=ID ('[' idx+=ID (',' idx+=ID)* ']')? ;
plate      : FOR var=ID IN lo=expr '..' hi=expr ;

expr
    : <assoc=right> base=expr '^' exponent=expr                  # powExpr
    | '-' operand=expr                                           # negExpr
    | left=expr op=('*' | '/') right=expr                        # mulExpr
    | left=expr op=('+' | '-') right=expr                        # addExpr
    | NUMBER                                                     # numExpr
    | fn=ID '(' (args+=expr (',' args+=expr)*)? ')'              # callExpr
    | name=ID '[' idx+=expr (',' idx+=expr)* ']'                 # indexExpr
    | name=ID                                                    # nameExpr
    | '[' (elems+=expr (',' elems+=expr)*)? ']'                  # vectorExpr
    | '(' inner=expr ')'                                         # parenExpr
    ;

MODEL   : 'model' ;
CONST   : 'const' ;
DATA    : 'data' ;
FROM    : 'from' ;
FOR     : 'for' ;
IN      : 'in' ;

// 2, 2.5, .5, 5. and 5.e3; a '.' right after the digits is part of the number
// unless a second '.' follows it, so 1..n stays a range.
NUMBER  : DIGITS ('.' DIGITS)? EXPONENT?
        | DIGITS '.' {_input.LA(1) != '.'}? EXPONENT?
        | '.' DIGITS EXPONENT?
        ;
// letters run into a number (1d, 2f, 3x, 1e): one token, reported as not a number
BAD_NUMBER : (DIGITS ('.' DIGITS?)? | '.' DIGITS) EXPONENT? [a-zA-Z_] [a-zA-Z_0-9]* ;
fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
ID      : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING  : '"' (~["\\\r\n] | '\\' .)* '"' ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n]+ -> skip ;
UNTERMINATED_STRING : '"' ~["\r\n]* ;
// a '/*' with no '*/' anywhere after it: everything from it to the end
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF ;
ERROR_CHAR    : . ;
