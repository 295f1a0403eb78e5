/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codegen/ctype.c — IDL types as C: shapes, names, parameter lists and the expressions of the generic marshalling */

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/ctype.h"

bool type_has_enum(const idl_type *t) {
        if (!t)
                return false;
        switch (t->kind) {
        case IDL_TYPE_NAMED:
                if (!t->decl)
                        return false;
                if (t->decl->kind == IDL_DECL_ENUM)
                        return true;
                for (size_t i = 0; t->decl->kind == IDL_DECL_STRUCT && i < t->decl->n_fields; i++)
                        if (type_has_enum(t->decl->fields[i].type))
                                return true;
                return false;
        case IDL_TYPE_STRUCT:
                for (size_t i = 0; i < t->n_fields; i++)
                        if (type_has_enum(t->fields[i].type))
                                return true;
                return false;
        case IDL_TYPE_ARRAY:
                return type_has_enum(t->elem);
        case IDL_TYPE_DICT:
                return type_has_enum(t->key) || type_has_enum(t->elem);
        default:
                return false;
        }
}

shape type_shape(const idl_type *t) {
        switch (t->kind) {
        case IDL_TYPE_BYTE:
        case IDL_TYPE_INT16:
        case IDL_TYPE_UINT16:
        case IDL_TYPE_INT32:
        case IDL_TYPE_UINT32:
        case IDL_TYPE_INT64:
        case IDL_TYPE_UINT64:
        case IDL_TYPE_DOUBLE:
                return SHAPE_SCALAR;
        case IDL_TYPE_BOOL:
                return SHAPE_BOOL;
        case IDL_TYPE_STRING:
        case IDL_TYPE_OBJPATH:
        case IDL_TYPE_SIGNATURE:
                return SHAPE_STRING;
        case IDL_TYPE_FD:
                return SHAPE_FD;
        case IDL_TYPE_VARIANT:
                return SHAPE_VARIANT;
        case IDL_TYPE_BLOB:
                return SHAPE_BLOB;
        case IDL_TYPE_DICT:
                return t->signature && strcmp(t->signature, "a{sv}") == 0 ? SHAPE_DICT : SHAPE_COMPOSITE;
        case IDL_TYPE_NAMED:
                if (!t->decl)
                        return SHAPE_UNSUPPORTED;
                return t->decl->kind == IDL_DECL_STRUCT ? SHAPE_COMPOSITE : SHAPE_ENUM;
        case IDL_TYPE_STRUCT:
                return SHAPE_COMPOSITE;
        case IDL_TYPE_ARRAY:
                switch (type_shape(t->elem)) {
                case SHAPE_SCALAR:
                        return SHAPE_FIXED_ARRAY;
                case SHAPE_BOOL:
                        return SHAPE_BOOL_ARRAY;
                case SHAPE_STRING:
                        return SHAPE_STRV;
                case SHAPE_FD:
                        return SHAPE_FD_ARRAY;
                case SHAPE_VARIANT:
                        return SHAPE_VARIANT_ARRAY;
                case SHAPE_DICT:
                        return SHAPE_DICT_ARRAY;
                case SHAPE_UNSUPPORTED:
                        return SHAPE_UNSUPPORTED;
                default:
                        return SHAPE_COMPOSITE;
                }
        default:
                return SHAPE_UNSUPPORTED;
        }
}

bool shape_has_count(shape s) {
        return s == SHAPE_FIXED_ARRAY || s == SHAPE_BOOL_ARRAY || s == SHAPE_FD_ARRAY ||
               s == SHAPE_VARIANT_ARRAY || s == SHAPE_DICT_ARRAY;
}

char type_code(const idl_type *t) {
        if (t->kind == IDL_TYPE_ARRAY)
                t = t->elem;
        return idl_type_kind_code(t->kind);
}

const char *type_scalar_ctype(const idl_type *t) {
        if (t->kind == IDL_TYPE_ARRAY)
                t = t->elem;
        switch (t->kind) {
        case IDL_TYPE_BYTE:
                return "uint8_t";
        case IDL_TYPE_BOOL:
                return "bool";
        case IDL_TYPE_INT16:
                return "int16_t";
        case IDL_TYPE_UINT16:
                return "uint16_t";
        case IDL_TYPE_INT32:
                return "int32_t";
        case IDL_TYPE_UINT32:
                return "uint32_t";
        case IDL_TYPE_INT64:
                return "int64_t";
        case IDL_TYPE_UINT64:
                return "uint64_t";
        case IDL_TYPE_DOUBLE:
                return "double";
        default:
                return NULL;
        }
}

/* ---- identifiers ---- */

/*
 * Words a generated identifier must not be: C11 and C++17 keywords, the
 * alternative operator spellings, object-like macros of the C library and
 * the compilers, libc globals that -Wshadow would flag, the libc functions
 * the generated bodies call, and the fixed parameter names of generated
 * functions.
 */
#define ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const reserved_words[] = {
        /* C11 */
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
        "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
        "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
        "volatile", "while",
        /* C++17 */
        "alignas", "alignof", "and", "and_eq", "asm", "bitand", "bitor", "bool", "catch", "char16_t",
        "char32_t", "class", "compl", "constexpr", "const_cast", "decltype", "delete", "dynamic_cast",
        "explicit", "export", "false", "friend", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
        "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "reinterpret_cast",
        "static_assert", "static_cast", "template", "this", "thread_local", "throw", "true", "try",
        "typeid", "typename", "using", "virtual", "wchar_t", "xor", "xor_eq", "char8_t", "concept",
        "requires", "co_await", "co_return", "co_yield", "import", "module", "final", "override",
        /* C++20 keywords that g++ -Wc++20-compat flags in C++17 */
        "constinit", "consteval",
        /* types of the standard library that do not end in _t */
        "va_list", "jmp_buf", "FILE", "DIR",
        /* macros and globals */
        "NULL", "EOF", "errno", "stdin", "stdout", "stderr", "unix", "linux", "i386", "complex",
        "imaginary", "I", "noreturn", "assert", "offsetof", "major", "minor", "makedev", "environ",
        "timezone", "daylight", "tzname", "optarg", "optind", "opterr", "optopt", "signgam",
        "program_invocation_name", "program_invocation_short_name", "BUFSIZ", "FILENAME_MAX",
        "SIZE_MAX", "INT_MAX", "PATH_MAX", "main",
        /* functions the generated code calls (parameters and locals only: see c_field_name()) */
#define FIELD_RESERVED_END "free"
        "free", "close", "strdup", "malloc", "calloc", "memcpy",
        /* the ISO C library's functions (C11 7.13-7.29, the common ones): a handler whose parameter took one of
         * these names could not call it (`time`, `signal`, `exit`, `remove`) */
        "abort", "abs", "atexit", "atof", "atoi", "atol", "bsearch", "ceil", "clock", "cos", "ctime", "difftime",
        "div", "exit", "exp", "fabs", "fclose", "feof", "ferror", "fflush", "fgetc", "fgets", "floor", "fmod",
        "fopen", "fprintf", "fputc", "fputs", "fread", "freopen", "fscanf", "fseek", "ftell", "fwrite", "getc",
        "getchar", "getenv", "gmtime", "isalnum", "isalpha", "isdigit", "isspace", "labs", "localtime", "log",
        "log10", "longjmp", "memchr", "memcmp", "memmove", "memset", "mktime", "perror", "pow", "printf", "putc",
        "putchar", "puts", "qsort", "raise", "rand", "realloc", "remove", "rename", "rewind", "round", "scanf",
        "setjmp", "setlocale", "signal", "sin", "snprintf", "sprintf", "sqrt", "srand", "sscanf", "strcat",
        "strchr", "strcmp", "strcpy", "strerror", "strftime", "strlen", "strncmp", "strncpy", "strrchr", "strstr",
        "strtod", "strtok", "strtol", "strtoul", "system", "tan", "time", "tmpfile", "tolower", "toupper", "ungetc",
        "vprintf", "vsnprintf",
        /* fixed parameter names of generated functions */
        "proxy", "ret_error", "callback", "userdata", "ret_slot", "error", "call", "bus", "path", "handler",
        "value", "ret_value", "n_value", "ret_n_value", "ret", "finish", "pending", "timeout_usec", "invalidated",
        "reply", "ret_reply",
};

/*
 * Names a header's neighbours own, whatever the list says: macros look like
 * ALL_CAPS (EINVAL, INT32_MAX), types end in _t (int32_t, size_t: POSIX
 * reserves the suffix), sd-bus's names start with sd_ (sd_bus_message).
 */
static bool is_foreign(const char *name) {
        bool has_lower = false, has_upper = false;
        size_t n = strlen(name);
        for (const char *p = name; *p; p++) {
                has_lower = has_lower || islower((unsigned char) *p);
                has_upper = has_upper || isupper((unsigned char) *p);
        }
        return (has_upper && !has_lower) || (n > 2 && strcmp(name + n - 2, "_t") == 0) || strncmp(name, "sd_", 3) == 0;
}

/*
 * The list as a set, built once per process (pthread_once: the back ends may
 * run in several threads) and asked for every candidate name of every
 * argument: open addressing over FNV-1a, slots holding an index into
 * reserved_words plus one.  It is not common/hashmap.h, whose keys come
 * from peers and need a keyed hash: this set is fixed when it is built, so
 * a lookup probes at most as far as its longest run, whatever the name; it
 * costs a sixth of sorting the list for bsearch() (docs/benchmarks.md,
 * "Start-up").
 */
#define RESERVED_SLOTS 1024u /* a power of two, at least twice the words */
static unsigned short reserved_set[RESERVED_SLOTS];

static unsigned reserved_slot(const char *name) {
        uint32_t h = 2166136261u;
        for (const unsigned char *p = (const unsigned char *) name; *p; p++)
                h = (h ^ *p) * 16777619u;
        return h & (RESERVED_SLOTS - 1);
}

static void fill_reserved(void) {
        _Static_assert(ELEMENTS(reserved_words) * 2 <= RESERVED_SLOTS, "reserved_set is too small");
        for (size_t i = 0; i < ELEMENTS(reserved_words); i++) {
                unsigned k = reserved_slot(reserved_words[i]);
                while (reserved_set[k])
                        k = (k + 1) & (RESERVED_SLOTS - 1);
                reserved_set[k] = (unsigned short) (i + 1);
        }
}

static bool is_reserved(const char *name) {
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, fill_reserved);
        if (name[0] == '_')
                return true; /* leading underscores: reserved in C, or nearly so */
        for (unsigned k = reserved_slot(name); reserved_set[k]; k = (k + 1) & (RESERVED_SLOTS - 1))
                if (strcmp(reserved_words[reserved_set[k] - 1], name) == 0)
                        return true;
        return false;
}

static char *strjoin(const char *a, const char *b) {
        size_t la = strlen(a), lb = strlen(b);
        char *s = malloc(la + lb + 1);
        if (!s)
                return NULL;
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
        return s;
}

/*
 * The names of one argument with `extra` '_' after it, in one allocation
 * "ret_n_B\0ret_B\0" (B: `lead` then `name` then the '_'s) that ret_n, n
 * and base share and ret points into; arg_names_free() frees it.  False on
 * ENOMEM.
 */
static bool names_alloc(arg_names *r, const char *lead, const char *name, size_t extra) {
        size_t ll = strlen(lead), nl = strlen(name), len = ll + nl + extra;
        char *s = malloc(2 * len + 12), *b = s + 6, *ret = b + len + 1;
        if (!s)
                return false;
        memcpy(s, "ret_n_", 6);
        memcpy(b, lead, ll);
        memcpy(b + ll, name, nl);
        memset(b + ll + nl, '_', extra);
        b[len] = '\0';
        memcpy(ret, "ret_", 4);
        memcpy(ret + 4, b, len + 1);
        *r = (arg_names) { .base = b, .n = s + 4, .ret = ret, .ret_n = s };
        return true;
}

static bool in_list(const char *const *list, size_t n, const char *s) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(list[i], s) == 0)
                        return true;
        return false;
}

arg_names *arg_names_new(const idl_field *const *fields, size_t n, size_t n_in) {
        arg_names *a = calloc(n ? n : 1, sizeof(*a));
        /* call: the names a blocking call or a handler has side by side (inputs x, n_x; outputs ret_x, ret_n_x);
         * out: the outputs' own names, side by side in a reply callback or a return function */
        const char **call = calloc(2 * n + 1, sizeof(char *)), **out = calloc(2 * n + 1, sizeof(char *));
        size_t n_call = 0, n_out = 0;
        if (!a || !call || !out)
                goto oom;
        for (size_t i = 0; i < n; i++) {
                bool is_out = i >= n_in;
                const char *name = fields[i]->name;
                /* "_x" becomes "arg_x" (no reserved identifiers) and "dbidl_x" becomes "arg_dbidl_x" (the generated
                 * bodies' locals are dbidl_*); other names are kept */
                const char *lead = name[0] == '_' ? "arg" : strncmp(name, "dbidl_", 6) == 0 ? "arg_" : "";
                arg_names c = { 0 };
                for (size_t extra = 0;; extra++) {
                        free(c.ret_n);
                        if (!names_alloc(&c, lead, name, extra))
                                goto oom;
                        if (extra == 0 && is_foreign(c.base))
                                continue; /* once: an ALL_CAPS or sd_ name stays one however many '_' follow */
                        const char *cand[4] = { c.base, c.n, c.ret, c.ret_n };
                        bool clash = false;
                        for (int k = 0; k < 4 && !clash; k++)
                                clash = is_reserved(cand[k]);
                        /* an input meets the call's names with x and n_x, an output with ret_x and ret_n_x and
                         * the other outputs with x and n_x: an output may share an input's name (Echo(s) -> (s)) */
                        for (int k = is_out ? 2 : 0; k < (is_out ? 4 : 2) && !clash; k++)
                                clash = in_list(call, n_call, cand[k]);
                        for (int k = 0; k < 2 && is_out && !clash; k++)
                                clash = in_list(out, n_out, cand[k]);
                        if (!clash) {
                                a[i] = c;
                                for (int k = is_out ? 2 : 0; k < (is_out ? 4 : 2); k++)
                                        call[n_call++] = cand[k];
                                for (int k = 0; k < 2 && is_out; k++)
                                        out[n_out++] = cand[k];
                                break;
                        }
                }
        }
        free(call); /* the strings belong to a[] */
        free(out);
        return a;
oom:
        if (a)
                arg_names_free(a, n);
        free(call);
        free(out);
        return NULL;
}

void arg_names_free(arg_names *a, size_t n) {
        if (!a)
                return;
        for (size_t i = 0; i < n; i++)
                free(a[i].ret_n);
        free(a);
}

/* Struct members live in their own namespace: only keywords, macros and type names (also libdbidl's) clash. */
char *c_field_name(const char *name) {
        /* dbidl_ names are libdbidl's types: a member named dbidl_dict would hide the type in C++ */
        if (is_foreign(name) || strncmp(name, "dbidl_", 6) == 0)
                return strjoin(name, "_");
        for (size_t i = 0; i < sizeof(reserved_words) / sizeof(reserved_words[0]); i++) {
                if (strcmp(reserved_words[i], FIELD_RESERVED_END) == 0)
                        break;
                if (strcmp(name, reserved_words[i]) == 0)
                        return strjoin(name, "_");
        }
        return strdup(name);
}

bool arg_name_macro_safe(const char *name) {
        static const char *const macros[] = {
                "NULL", "EOF", "errno", "stdin", "stdout", "stderr", "unix", "linux", "i386", "complex",
                "imaginary", "I", "noreturn", "alignas", "alignof", "bool", "true", "false", "static_assert",
                "thread_local", "BUFSIZ", "FILENAME_MAX", "SIZE_MAX", "INT_MAX", "PATH_MAX",
        };
        if (name[0] == '_' || is_foreign(name))
                return false; /* ALL_CAPS names are what macros look like; sd-bus and libc names may be macros too */
        for (size_t i = 0; i < sizeof(macros) / sizeof(macros[0]); i++)
                if (strcmp(name, macros[i]) == 0)
                        return false;
        return true;
}

static int check_type(const idl_type *t, const char *what, const char *name, idl_diag_sink *sink) {
        if (type_shape(t) != SHAPE_UNSUPPORTED)
                return 0;
        idl_error_at(sink, t->loc, "the C back end does not support the type '%s' of %s '%s' yet",
                     t->signature ? t->signature : "?", what, name);
        return -EOPNOTSUPP;
}

int check_supported(const idl_file *f, idl_diag_sink *sink) {
        int r = 0;
        for (size_t i = 0; i < f->n_interfaces; i++) {
                const idl_interface *it = &f->interfaces[i];
                for (size_t j = 0; j < it->n_methods; j++) {
                        const idl_method *m = &it->methods[j];
                        for (size_t k = 0; k < m->n_in; k++)
                                if (check_type(m->in[k].type, "argument", m->in[k].name, sink) < 0)
                                        r = -EOPNOTSUPP;
                        for (size_t k = 0; k < m->n_out; k++)
                                if (check_type(m->out[k].type, "argument", m->out[k].name, sink) < 0)
                                        r = -EOPNOTSUPP;
                }
                for (size_t j = 0; j < it->n_signals; j++) {
                        const idl_signal *s = &it->signals[j];
                        for (size_t k = 0; k < s->n_args; k++)
                                if (check_type(s->args[k].type, "argument", s->args[k].name, sink) < 0)
                                        r = -EOPNOTSUPP;
                }
                for (size_t j = 0; j < it->n_properties; j++)
                        if (check_type(it->properties[j].type, "property", it->properties[j].c.name, sink) < 0)
                                r = -EOPNOTSUPP;
        }
        return r;
}

char *c_file_prefix(const char *path) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t n = strlen(base);
        if (n > 4 && strcmp(base + n - 4, ".idl") == 0)
                n -= 4;
        char *p = strndup(base, n);
        if (!p)
                return NULL;
        for (char *c = p; *c; c++)
                *c = isalnum((unsigned char) *c) ? (char) tolower((unsigned char) *c) : '_';
        if (!isalpha((unsigned char) p[0]))
                p[0] = 'f';
        return p;
}
