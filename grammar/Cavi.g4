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

NUMBER  : DIGITS ('.' DIGITS)? ([eE] [+-]? DIGITS)? ;
fragment DIGITS : [0-9]+ ;
ID      : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING  : '"' (~["\\\r\n] | '\\' .)* '"' ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n]+ -> skip ;
UNTERMINATED_STRING : '"' ~["\r\n]* ;
UNTERMINATED_COMMENT : '/*' .*? EOF ;
ERROR_CHAR    : . ;
