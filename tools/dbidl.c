/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tools/dbidl.c — the dbidl command: call, inspect and watch any D-Bus service with JSON in and out (dbidl(1)) */

#include <errno.h>
#include <expat.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-bus.h>
#include <yajl/yajl_gen.h>

#include <dbidl/bus.h>
#include <dbidl/json.h>

#include "common/signature.h"
#include "idl/diag.h"
#include "idl/idl.h"
#include "idl/import.h"

/*
 * Exit statuses (documented in dbidl(1), stable): 0 success; 1 a failure on
 * the bus (no connection, a D-Bus error reply, a timeout); 2 a mistake on the
 * command line, found before anything is sent: bad options, JSON that is not
 * JSON or does not fit the signature, a member the introspection does not
 * have.
 */
enum { EXIT_BUS = 1, EXIT_USAGE = 2 };

static enum { BUS_SESSION, BUS_SYSTEM, BUS_ADDRESS, BUS_PEER, BUS_HOST } arg_bus = BUS_SESSION;
static const char *arg_address;
static uint64_t arg_timeout_usec;       /* 0: sd-bus's default (25 s) */
static bool arg_pretty;
static bool arg_json;                   /* --json given: list and introspect print JSON */
static bool arg_xml;
static bool arg_list;                   /* introspect --list: one member a line, for scripts and completion */
static bool arg_quiet;
static const char *arg_signature;
static const char *arg_idl;             /* --idl=FILE: members typed by this .idl instead of introspection */

static int usage_error(const char *format, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *format, ...) {
        va_list ap;

        fputs("dbidl: ", stderr);
        va_start(ap, format);
        vfprintf(stderr, format, ap);
        va_end(ap);
        fputs("\nTry 'dbidl --help'.\n", stderr);
        return EXIT_USAGE;
}

static int fail(int status, const char *format, ...) __attribute__((format(printf, 2, 3)));
static int fail(int status, const char *format, ...) {
        va_list ap;

        fputs("dbidl: ", stderr);
        va_start(ap, format);
        vfprintf(stderr, format, ap);
        va_end(ap);
        fputc('\n', stderr);
        return status;
}

/* A D-Bus error as one JSON object on stderr: {"error": NAME, "message": TEXT}; exit status 1. */
static int bus_error(const sd_bus_error *e, int r) {
        const unsigned char *buf;
        size_t len;
        yajl_gen g = yajl_gen_alloc(NULL);
        const char *name = e && e->name ? e->name : "org.freedesktop.DBus.Error.Failed";
        const char *message = e && e->message ? e->message : strerror(r < 0 ? -r : r);

        if (!g)
                abort();
        yajl_gen_map_open(g);
        yajl_gen_string(g, (const unsigned char *) "error", 5);
        yajl_gen_string(g, (const unsigned char *) name, strlen(name));
        yajl_gen_string(g, (const unsigned char *) "message", 7);
        yajl_gen_string(g, (const unsigned char *) message, strlen(message));
        yajl_gen_map_close(g);
        yajl_gen_get_buf(g, &buf, &len);
        fprintf(stderr, "%.*s\n", (int) len, (const char *) buf);
        yajl_gen_free(g);
        return EXIT_BUS;
}

static void print_json(const char *text) {
        if (!arg_quiet)
                printf("%s\n", text);
}

/* ---- introspection ------------------------------------------------------- */

typedef struct member {
        char kind;              /* 'm' method, 's' signal, 'p' property */
        char *name;
        char in_sig[256], out_sig[256];         /* a property's type is in_sig; a signal's arguments too */
        char **in_names, **out_names;           /* NULL-terminated; unnamed arguments are argN */
        size_t n_in, n_out;
        char *in_typed, *out_typed;             /* --idl: the signatures with struct field names (dbidl/json.h) */
        bool writable, readable;
} member;

typedef struct iface_info {
        char *name;
        member *members;
        size_t n_members;
        long start, end;        /* byte range of <interface …>…</interface> in the document */
} iface_info;

typedef struct intro {
        char *xml;
        iface_info *ifaces;
        size_t n_ifaces;
        char **children;
        size_t n_children;
        unsigned depth;
        XML_Parser parser;
        bool oom;
} intro;

static const char *attr(const XML_Char **a, const char *name) {
        for (; a && a[0]; a += 2)
                if (strcmp(a[0], name) == 0)
                        return a[1];
        return NULL;
}

static bool push_name(char ***v, size_t *n, const char *name) {
        char **g = realloc(*v, (*n + 2) * sizeof(char *));
        char buf[32];

        if (!g)
                return false;
        *v = g;
        if (!name || !*name) {
                snprintf(buf, sizeof(buf), "arg%zu", *n);
                name = buf;
        }
        g[*n] = strdup(name);
        g[*n + 1] = NULL;
        if (!g[*n])
                return false;
        (*n)++;
        return true;
}

static void XMLCALL on_start(void *data, const XML_Char *el, const XML_Char **a) {
        intro *in = data;
        iface_info *f = in->n_ifaces ? &in->ifaces[in->n_ifaces - 1] : NULL;
        member *m = f && f->n_members ? &f->members[f->n_members - 1] : NULL;

        in->depth++;
        if (strcmp(el, "node") == 0 && in->depth == 2 && attr(a, "name")) {
                char **c = realloc(in->children, (in->n_children + 1) * sizeof(char *));
                if (!c || !(c[in->n_children] = strdup(attr(a, "name")))) {
                        in->oom = true;
                        if (c)
                                in->children = c;
                        return;
                }
                in->children = c;
                in->n_children++;
        } else if (strcmp(el, "interface") == 0 && attr(a, "name")) {
                iface_info *g = realloc(in->ifaces, (in->n_ifaces + 1) * sizeof(iface_info));
                if (!g) {
                        in->oom = true;
                        return;
                }
                in->ifaces = g;
                f = &g[in->n_ifaces++];
                memset(f, 0, sizeof(*f));
                f->name = strdup(attr(a, "name"));
                f->start = XML_GetCurrentByteIndex(in->parser);
                f->end = -1;
        } else if (f && f->end < 0 &&
                   (strcmp(el, "method") == 0 || strcmp(el, "signal") == 0 || strcmp(el, "property") == 0) &&
                   attr(a, "name")) {
                member *g = realloc(f->members, (f->n_members + 1) * sizeof(member));
                const char *access = attr(a, "access"), *type = attr(a, "type");
                if (!g) {
                        in->oom = true;
                        return;
                }
                f->members = g;
                m = &g[f->n_members++];
                memset(m, 0, sizeof(*m));
                m->kind = el[0] == 'm' ? 'm' : el[0] == 's' ? 's' : 'p';
                m->name = strdup(attr(a, "name"));
                if (m->kind == 'p') {
                        snprintf(m->in_sig, sizeof(m->in_sig), "%s", type ? type : "");
                        m->readable = !access || strstr(access, "read");
                        m->writable = access && strstr(access, "write");
                }
        } else if (m && f->end < 0 && strcmp(el, "arg") == 0 && m->kind != 'p') {
                const char *dir = attr(a, "direction"), *type = attr(a, "type");
                bool out = m->kind == 'm' && dir && strcmp(dir, "out") == 0;
                char *sig = out ? m->out_sig : m->in_sig;
                if (strlen(sig) + strlen(type ? type : "") < 256)
                        strcat(sig, type ? type : "");
                if (!(out ? push_name(&m->out_names, &m->n_out, attr(a, "name"))
                          : push_name(&m->in_names, &m->n_in, attr(a, "name"))))
                        in->oom = true;
        }
}

static void XMLCALL on_end(void *data, const XML_Char *el) {
        intro *in = data;

        in->depth--;
        if (strcmp(el, "interface") == 0 && in->n_ifaces > 0 && in->ifaces[in->n_ifaces - 1].end < 0)
                in->ifaces[in->n_ifaces - 1].end = XML_GetCurrentByteIndex(in->parser) +
                                                   XML_GetCurrentByteCount(in->parser);
}

static void intro_free(intro *in) {
        for (size_t i = 0; i < in->n_ifaces; i++) {
                for (size_t k = 0; k < in->ifaces[i].n_members; k++) {
                        member *m = &in->ifaces[i].members[k];
                        for (size_t q = 0; q < m->n_in; q++)
                                free(m->in_names[q]);
                        for (size_t q = 0; q < m->n_out; q++)
                                free(m->out_names[q]);
                        free(m->in_names);
                        free(m->out_names);
                        free(m->in_typed);
                        free(m->out_typed);
                        free(m->name);
                }
                free(in->ifaces[i].members);
                free(in->ifaces[i].name);
        }
        for (size_t i = 0; i < in->n_children; i++)
                free(in->children[i]);
        free(in->children);
        free(in->ifaces);
        free(in->xml);
        memset(in, 0, sizeof(*in));
}

/* Introspect NAME at PATH: 0, or an exit status (the error printed). */
static bool introspect_quietly;         /* monitor: a sender that cannot be introspected is no error */

static int introspect(sd_bus *bus, const char *name, const char *path, intro *ret) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        const char *xml;
        int r;

        memset(ret, 0, sizeof(*ret));
        r = sd_bus_call_method(bus, name, path, "org.freedesktop.DBus.Introspectable", "Introspect", &error, &reply,
                               "");
        if (r < 0) {
                r = introspect_quietly ? EXIT_BUS : bus_error(&error, r);
                sd_bus_error_free(&error);
                return r;
        }
        r = sd_bus_message_read(reply, "s", &xml);
        if (r < 0) {
                sd_bus_message_unref(reply);
                return fail(EXIT_BUS, "bad introspection reply from %s: %s", name, strerror(-r));
        }
        ret->xml = strdup(xml);
        sd_bus_message_unref(reply);
        if (!ret->xml)
                return fail(EXIT_BUS, "out of memory");

        /* UTF-8 whatever the declaration says: python-dbus services (dbusmock among them) declare "utf8", which
         * expat does not know; GLib, libdbus and the importer (idl/import-xml.c) read it as UTF-8 too */
        ret->parser = XML_ParserCreate("UTF-8");
        if (!ret->parser)
                return fail(EXIT_BUS, "out of memory");
        XML_SetUserData(ret->parser, ret);
        XML_SetElementHandler(ret->parser, on_start, on_end);
        if (XML_Parse(ret->parser, ret->xml, (int) strlen(ret->xml), 1) != XML_STATUS_OK) {
                r = introspect_quietly ? EXIT_BUS : fail(EXIT_BUS, "%s's introspection of %s is not XML: %s at line %lu", name, path,
                         XML_ErrorString(XML_GetErrorCode(ret->parser)),
                         (unsigned long) XML_GetCurrentLineNumber(ret->parser));
                XML_ParserFree(ret->parser);
                return r;
        }
        XML_ParserFree(ret->parser);
        ret->parser = NULL;
        if (ret->oom)
                return fail(EXIT_BUS, "out of memory");
        return 0;
}

/* ---- --idl FILE ----------------------------------------------------------- */

/* The signature of `t` with the field names of its named structs: "a(<id>i<label>s)" (dbidl/json.h). */
static void typed_signature(FILE *f, const idl_type *t) {
        switch (t->kind) {
        case IDL_TYPE_ARRAY:
                fputc('a', f);
                typed_signature(f, t->elem);
                return;
        case IDL_TYPE_DICT:
                fprintf(f, "a{%s", t->key->signature);
                typed_signature(f, t->elem);
                fputc('}', f);
                return;
        case IDL_TYPE_STRUCT:
                fputc('(', f);
                for (size_t i = 0; i < t->n_fields; i++)
                        typed_signature(f, t->fields[i].type);
                fputc(')', f);
                return;
        case IDL_TYPE_NAMED:
                if (t->decl && t->decl->kind == IDL_DECL_STRUCT) {
                        fputc('(', f);
                        for (size_t i = 0; i < t->decl->n_fields; i++) {
                                fprintf(f, "<%s>", t->decl->fields[i].name);
                                typed_signature(f, t->decl->fields[i].type);
                        }
                        fputc(')', f);
                        return;
                }
                break;          /* enum, flags: their integer */
        default:
                break;
        }
        fputs(t->signature, f);
}

/* Fill `m`'s in (out) signature and names from IDL fields: false when out of memory. */
static bool member_from_fields(member *m, bool out, const idl_field *args, size_t n) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        char *sig = out ? m->out_sig : m->in_sig;

        if (!f)
                return false;
        for (size_t i = 0; i < n; i++) {
                typed_signature(f, args[i].type);
                if (strlen(sig) + strlen(args[i].type->signature) < 256)
                        strcat(sig, args[i].type->signature);
                if (!(out ? push_name(&m->out_names, &m->n_out, args[i].name)
                          : push_name(&m->in_names, &m->n_in, args[i].name))) {
                        fclose(f);
                        free(text);
                        return false;
                }
        }
        if (fclose(f) != 0) {
                free(text);
                return false;
        }
        if (out)
                m->out_typed = text;
        else
                m->in_typed = text;
        return true;
}

static member *add_member(iface_info *f, char kind, const char *name) {
        member *g = realloc(f->members, (f->n_members + 1) * sizeof(member));
        member *m;

        if (!g)
                return NULL;
        f->members = g;
        m = &g[f->n_members++];
        memset(m, 0, sizeof(*m));
        m->kind = kind;
        m->name = strdup(name);
        return m->name ? m : NULL;
}

/* Load --idl FILE as if it were the introspection: 0, or exit status 2 with its diagnostics printed. */
static int load_idl(intro *ret) {
        idl_diag_sink *sink = NULL;
        idl_file *file = NULL;
        int r;

        memset(ret, 0, sizeof(*ret));
        if (idl_diag_sink_new(stderr, &sink) < 0)
                return fail(EXIT_BUS, "out of memory");
        r = idl_load(arg_idl, NULL, sink, &file);
        if (r < 0 || idl_diag_error_count(sink) > 0) {
                idl_diag_flush(sink);
                idl_diag_sink_free(sink);
                idl_file_free(file);
                if (r < 0)
                        return fail(EXIT_USAGE, "cannot read %s: %s", arg_idl, strerror(-r));
                return fail(EXIT_USAGE, "%s has errors", arg_idl);
        }
        idl_diag_sink_free(sink);       /* warnings are for dbidlc */

        ret->ifaces = calloc(file->n_interfaces ? file->n_interfaces : 1, sizeof(iface_info));
        if (!ret->ifaces)
                goto oom;
        for (size_t i = 0; i < file->n_interfaces; i++) {
                const idl_interface *it = &file->interfaces[i];
                iface_info *f = &ret->ifaces[ret->n_ifaces++];

                f->name = strdup(it->c.name);
                f->end = -1;
                if (!f->name)
                        goto oom;
                for (size_t k = 0; k < it->n_methods; k++) {
                        member *m = add_member(f, 'm', it->methods[k].c.dbus_name);
                        if (!m || !member_from_fields(m, false, it->methods[k].in, it->methods[k].n_in) ||
                            !member_from_fields(m, true, it->methods[k].out, it->methods[k].n_out))
                                goto oom;
                }
                for (size_t k = 0; k < it->n_signals; k++) {
                        member *m = add_member(f, 's', it->signals[k].c.dbus_name);
                        if (!m || !member_from_fields(m, false, it->signals[k].args, it->signals[k].n_args))
                                goto oom;
                }
                for (size_t k = 0; k < it->n_properties; k++) {
                        const idl_property *p = &it->properties[k];
                        member *m = add_member(f, 'p', p->c.dbus_name);
                        char *text = NULL;
                        size_t len = 0;
                        FILE *ff;
                        if (!m || !(ff = open_memstream(&text, &len)))
                                goto oom;
                        typed_signature(ff, p->type);
                        if (fclose(ff) != 0)
                                goto oom;
                        m->in_typed = text;
                        snprintf(m->in_sig, sizeof(m->in_sig), "%s", p->type->signature);
                        m->readable = p->access != IDL_ACCESS_WRITEONLY;
                        m->writable = p->access != IDL_ACCESS_READONLY;
                }
        }
        idl_file_free(file);
        return 0;
oom:
        idl_file_free(file);
        intro_free(ret);
        return fail(EXIT_BUS, "out of memory");
}

/* The members of NAME at PATH: from --idl FILE, or from the live introspection. */
static int introspect(sd_bus *bus, const char *name, const char *path, intro *ret);
static int describe(sd_bus *bus, const char *name, const char *path, intro *ret) {
        return arg_idl ? load_idl(ret) : introspect(bus, name, path, ret);
}

static iface_info *find_iface(intro *in, const char *name) {
        for (size_t i = 0; i < in->n_ifaces; i++)
                if (strcmp(in->ifaces[i].name, name) == 0)
                        return &in->ifaces[i];
        return NULL;
}

/* The member NAME of kind `kind` in IFACE at PATH: NULL with the message printed (exit status 2). */
static member *find_member(intro *in, const char *service, const char *path, const char *iface_name, char kind,
                           const char *name) {
        static const char *const kinds[] = { ['m'] = "method", ['s'] = "signal", ['p'] = "property" };
        iface_info *f = find_iface(in, iface_name);
        const char **names;
        const char *hint;
        size_t n = 0;

        if (!f) {
                names = calloc(in->n_ifaces + 1, sizeof(char *));
                for (size_t i = 0; names && i < in->n_ifaces; i++)
                        names[n++] = in->ifaces[i].name;
                hint = names ? idl_suggest(iface_name, names, n) : NULL;
                if (arg_idl)
                        fail(EXIT_USAGE, "%s has no interface %s%s%s%s", arg_idl, iface_name,
                             hint ? " (did you mean " : "", hint ? hint : "", hint ? "?)" : "");
                else
                        fail(EXIT_USAGE, "%s has no interface %s at %s%s%s%s", service, iface_name, path,
                             hint ? " (did you mean " : "", hint ? hint : "", hint ? "?)" : "");
                free(names);
                return NULL;
        }
        for (size_t k = 0; k < f->n_members; k++)
                if (f->members[k].kind == kind && strcmp(f->members[k].name, name) == 0)
                        return &f->members[k];
        names = calloc(f->n_members + 1, sizeof(char *));
        for (size_t k = 0; names && k < f->n_members; k++)
                if (f->members[k].kind == kind)
                        names[n++] = f->members[k].name;
        hint = names ? idl_suggest(name, names, n) : NULL;
        if (arg_idl)
                fail(EXIT_USAGE, "%s has no %s %s in %s%s%s%s", arg_idl, kinds[(int) kind], name, iface_name,
                     hint ? " (did you mean " : "", hint ? hint : "", hint ? "?)" : "");
        else
                fail(EXIT_USAGE, "%s has no %s %s in %s at %s%s%s%s", service, kinds[(int) kind], name, iface_name,
                     path, hint ? " (did you mean " : "", hint ? hint : "", hint ? "?)" : "");
        free(names);
        return NULL;
}

/* ---- connection ---------------------------------------------------------- */

static int connect_bus(sd_bus **ret) {
        sd_bus *bus = NULL;
        int r;

        switch (arg_bus) {
        case BUS_SESSION:
                r = sd_bus_open_user(&bus);
                break;
        case BUS_SYSTEM:
                r = sd_bus_open_system(&bus);
                break;
        case BUS_HOST:
                r = sd_bus_open_system_remote(&bus, arg_address);
                break;
        case BUS_ADDRESS:
                r = dbidl_bus_open_address(arg_address, &bus);
                break;
        case BUS_PEER:
                /* authenticated before it returns: a refusing server is this error, not the call's */
                r = dbidl_bus_open_peer(arg_address, arg_timeout_usec, &bus);
                break;
        default:
                r = -EINVAL;
        }
        if (r < 0) {
                sd_bus_unref(bus);
                return fail(EXIT_BUS, "cannot connect to the %s: %s",
                            arg_bus == BUS_SESSION ? "session bus" : arg_bus == BUS_SYSTEM ? "system bus"
                            : arg_bus == BUS_HOST ? "remote system bus" : "address", strerror(-r));
        }
        if (arg_timeout_usec > 0)
                sd_bus_set_method_call_timeout(bus, arg_timeout_usec);
        *ret = bus;
        return 0;
}

/* "IFACE.MEMBER" split at its last dot: 0, or exit status 2. */
static int split_member(const char *arg, char **ret_iface, const char **ret_member) {
        const char *dot = strrchr(arg, '.');

        if (!dot || dot == arg || !dot[1])
                return usage_error("'%s' is not INTERFACE.MEMBER", arg);
        *ret_iface = strndup(arg, (size_t) (dot - arg));
        *ret_member = dot + 1;
        return *ret_iface ? 0 : fail(EXIT_BUS, "out of memory");
}

/* Append JSON arguments; exit status 2 with the error (and its location) printed. */
static int append_json(sd_bus_message *m, const char *sig, char *const *names, const char *json) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        if (!json)
                json = names ? "{}" : "[]";
        r = dbidl_json_append(m, sig, (const char *const *) names, json, strlen(json), &error);
        if (r < 0) {
                if (error.message)
                        fail(EXIT_USAGE, "%s", error.message);
                else
                        fail(r == -EINVAL ? EXIT_USAGE : EXIT_BUS, "cannot build the message: %s", strerror(-r));
                sd_bus_error_free(&error);
                return EXIT_USAGE;
        }
        return 0;
}

/* Print `m`'s arguments as JSON by `names` (or by position), with struct field names when `typed` is given. */
static int print_message(sd_bus_message *m, const char *typed, char *const *names) {
        unsigned flags = arg_pretty ? DBIDL_JSON_PRETTY : 0;
        char *text = NULL;
        int r = -ENXIO;

        if (typed)
                r = dbidl_json_read_typed(m, typed, (const char *const *) names, flags, &text);
        if (r == -ENXIO) {      /* no IDL, or the reply is not what the IDL says: by the reply's own types */
                if (typed)
                        (void) sd_bus_message_rewind(m, true);
                r = dbidl_json_read(m, (const char *const *) names, flags, &text);
        }

        if (r < 0)
                return fail(EXIT_BUS, "cannot read the reply: %s", strerror(-r));
        print_json(text);
        free(text);
        return 0;
}

/* ---- subcommands --------------------------------------------------------- */

static int cmd_call(sd_bus *bus, int argc, char **argv) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = NULL, *reply = NULL;
        intro in = { 0 };
        member *mem = NULL;
        char *iface_name = NULL;
        const char *method;
        int r;

        if (argc < 4 || argc > 5)
                return usage_error("call takes NAME PATH INTERFACE.METHOD [JSON]");
        r = split_member(argv[3], &iface_name, &method);
        if (r)
                return r;
        if (!arg_signature) {
                r = describe(bus, argv[1], argv[2], &in);
                if (r)
                        goto out;
                mem = find_member(&in, argv[1], argv[2], iface_name, 'm', method);
                if (!mem) {
                        r = EXIT_USAGE;
                        goto out;
                }
        }
        r = sd_bus_message_new_method_call(bus, &m, argv[1], argv[2], iface_name, method);
        if (r < 0) {
                r = fail(EXIT_USAGE, "cannot call %s %s %s: %s", argv[1], argv[2], argv[3], strerror(-r));
                goto out;
        }
        sd_bus_message_set_allow_interactive_authorization(m, true);
        r = append_json(m, mem ? (mem->in_typed ? mem->in_typed : mem->in_sig) : arg_signature,
                        mem ? mem->in_names : NULL, argc > 4 ? argv[4] : NULL);
        if (r)
                goto out;
        r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0) {
                r = bus_error(&error, r);
                goto out;
        }
        r = print_message(reply, mem ? mem->out_typed : NULL, mem ? mem->out_names : NULL);
out:
        sd_bus_error_free(&error);
        sd_bus_message_unref(m);
        sd_bus_message_unref(reply);
        intro_free(&in);
        free(iface_name);
        return r;
}

/* A property's value (the variant entered), with field names when --idl types it. */
static int read_property(intro *in, const char *iface, const char *property, sd_bus_message *m, char **ret) {
        iface_info *f = in->n_ifaces ? find_iface(in, iface) : NULL;
        int r;

        for (size_t k = 0; f && k < f->n_members; k++)
                if (f->members[k].kind == 'p' && strcmp(f->members[k].name, property) == 0 &&
                    f->members[k].in_typed) {
                        r = dbidl_json_read_value_typed(m, f->members[k].in_typed, 0, ret);
                        if (r != -ENXIO)
                                return r;
                        break;  /* not of the IDL's type: as it is */
                }
        return dbidl_json_read_value(m, 0, ret);
}

static int cmd_get(sd_bus *bus, int argc, char **argv) {
        char *text = NULL;
        intro in = { 0 };
        yajl_gen g;
        int r = 0;

        if (argc < 5)
                return usage_error("get takes NAME PATH INTERFACE PROPERTY…");
        if (arg_idl) {          /* typed by the IDL: the properties must be in it, struct fields are named */
                r = load_idl(&in);
                for (int i = 4; i < argc && r == 0; i++)
                        if (!find_member(&in, argv[1], argv[2], argv[3], 'p', argv[i]))
                                r = EXIT_USAGE;
                if (r) {
                        intro_free(&in);
                        return r;
                }
        }
        g = yajl_gen_alloc(NULL);
        yajl_gen_config(g, yajl_gen_beautify, (int) arg_pretty);
        yajl_gen_config(g, yajl_gen_indent_string, "  ");
        yajl_gen_map_open(g);
        for (int i = 4; i < argc && r == 0; i++) {
                sd_bus_error error = SD_BUS_ERROR_NULL;
                sd_bus_message *reply = NULL;
                const char *contents = NULL;

                r = sd_bus_call_method(bus, argv[1], argv[2], "org.freedesktop.DBus.Properties", "Get", &error,
                                       &reply, "ss", argv[3], argv[i]);
                if (r < 0)
                        r = bus_error(&error, r);
                else if ((r = sd_bus_message_peek_type(reply, NULL, &contents)) < 0 || !contents ||
                         (r = sd_bus_message_enter_container(reply, 'v', contents)) <= 0 ||
                         (r = read_property(&in, argv[3], argv[i], reply, &text)) < 0)
                        r = fail(EXIT_BUS, "bad reply to Get(%s): %s", argv[i], strerror(r < 0 ? -r : EBADMSG));
                else {
                        /* the value is JSON already: yajl_gen_number() copies its text as it is */
                        yajl_gen_string(g, (const unsigned char *) argv[i], strlen(argv[i]));
                        yajl_gen_number(g, text, strlen(text));
                        r = 0;
                }
                sd_bus_error_free(&error);
                sd_bus_message_unref(reply);
                free(text);
                text = NULL;
        }
        if (r == 0) {
                const unsigned char *buf;
                size_t len;
                yajl_gen_map_close(g);
                yajl_gen_get_buf(g, &buf, &len);
                while (len > 0 && buf[len - 1] == '\n')
                        len--;
                if (!arg_quiet)
                        printf("%.*s\n", (int) len, (const char *) buf);
        }
        yajl_gen_free(g);
        intro_free(&in);
        return r;
}

static int cmd_set(sd_bus *bus, int argc, char **argv) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = NULL, *reply = NULL;
        intro in = { 0 };
        member *mem = NULL;
        const char *type = arg_signature;
        int r;

        if (argc != 6)
                return usage_error("set takes NAME PATH INTERFACE PROPERTY JSON");
        if (!type) {
                r = describe(bus, argv[1], argv[2], &in);
                if (r)
                        return r;
                mem = find_member(&in, argv[1], argv[2], argv[3], 'p', argv[4]);
                if (!mem) {
                        intro_free(&in);
                        return EXIT_USAGE;
                }
                if (!mem->writable) {
                        intro_free(&in);
                        return fail(EXIT_USAGE, "property %s of %s is read-only", argv[4], argv[3]);
                }
                type = mem->in_typed ? mem->in_typed : mem->in_sig;
        }
        r = sd_bus_message_new_method_call(bus, &m, argv[1], argv[2], "org.freedesktop.DBus.Properties", "Set");
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", argv[3], argv[4]);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', mem ? mem->in_sig : type);
        if (r < 0) {
                r = fail(EXIT_USAGE, "cannot set %s: %s", argv[4], strerror(-r));
                goto out;
        }
        r = dbidl_json_append_value(m, type, argv[5], strlen(argv[5]), &error);
        if (r < 0) {
                r = fail(EXIT_USAGE, "%s", error.message ? error.message : strerror(-r));
                goto out;
        }
        r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, &reply);
        r = r < 0 ? bus_error(&error, r) : 0;
out:
        sd_bus_error_free(&error);
        sd_bus_message_unref(m);
        sd_bus_message_unref(reply);
        intro_free(&in);
        return r;
}

static int cmd_introspect(sd_bus *bus, int argc, char **argv) {
        intro in = { 0 };
        iface_info *f = NULL;
        int r;

        if (argc < 3 || argc > 4)
                return usage_error("introspect takes NAME PATH [INTERFACE]");
        r = introspect(bus, argv[1], argv[2], &in);
        if (r)
                return r;
        if (argc > 3 && !(f = find_iface(&in, argv[3]))) {
                intro_free(&in);
                return fail(EXIT_USAGE, "%s has no interface %s at %s", argv[1], argv[3], argv[2]);
        }

        if (arg_list) {
                /* "interface I", "method I.M", "signal I.S", "property I P": what call/emit and get/set take */
                for (size_t i = 0; i < in.n_ifaces; i++) {
                        iface_info *x = &in.ifaces[i];
                        if (f && x != f)
                                continue;
                        if (!arg_quiet)
                                printf("interface %s\n", x->name);
                        for (size_t k = 0; k < x->n_members && !arg_quiet; k++) {
                                member *mm = &x->members[k];
                                if (mm->kind == 'p')
                                        printf("property %s %s\n", x->name, mm->name);
                                else
                                        printf("%s %s.%s\n", mm->kind == 'm' ? "method" : "signal", x->name,
                                               mm->name);
                        }
                }
        } else if (arg_xml) {
                if (f)
                        printf("<node>\n  %.*s\n</node>\n", (int) (f->end - f->start), in.xml + f->start);
                else
                        fputs(in.xml, stdout);
        } else if (arg_json) {
                yajl_gen g = yajl_gen_alloc(NULL);
                const unsigned char *buf;
                size_t len;

                yajl_gen_config(g, yajl_gen_beautify, (int) arg_pretty);
                yajl_gen_config(g, yajl_gen_indent_string, "  ");
#define S(s) yajl_gen_string(g, (const unsigned char *) (s), strlen(s))
                yajl_gen_map_open(g);
                for (size_t i = 0; i < in.n_ifaces; i++) {
                        iface_info *x = &in.ifaces[i];
                        if (f && x != f)
                                continue;
                        S(x->name);
                        yajl_gen_map_open(g);
                        for (int pass = 0; pass < 3; pass++) {
                                char kind = "msp"[pass];
                                S(pass == 0 ? "methods" : pass == 1 ? "signals" : "properties");
                                yajl_gen_map_open(g);
                                for (size_t k = 0; k < x->n_members; k++) {
                                        member *mm = &x->members[k];
                                        if (mm->kind != kind)
                                                continue;
                                        S(mm->name);
                                        yajl_gen_map_open(g);
                                        if (kind == 'p') {
                                                S("type");
                                                S(mm->in_sig);
                                                S("access");
                                                S(mm->readable && mm->writable ? "readwrite"
                                                  : mm->writable ? "write" : "read");
                                        } else {
                                                for (int dir = 0; dir < (kind == 'm' ? 2 : 1); dir++) {
                                                        char **names = dir ? mm->out_names : mm->in_names;
                                                        const char *sig = dir ? mm->out_sig : mm->in_sig;
                                                        S(kind == 's' ? "args" : dir ? "out" : "in");
                                                        yajl_gen_array_open(g);
                                                        const char *t = sig;
                                                        for (size_t q = 0; names && names[q] && *t; q++) {
                                                                size_t l = signature_type_len(t);
                                                                yajl_gen_map_open(g);
                                                                S("name");
                                                                S(names[q]);
                                                                S("type");
                                                                yajl_gen_string(g, (const unsigned char *) t, l);
                                                                yajl_gen_map_close(g);
                                                                t += l;
                                                        }
                                                        yajl_gen_array_close(g);
                                                        S(kind == 's' ? "signature" : dir ? "out_signature"
                                                                                          : "in_signature");
                                                        S(sig);
                                                }
                                        }
                                        yajl_gen_map_close(g);
                                }
                                yajl_gen_map_close(g);
                        }
                        yajl_gen_map_close(g);
                }
                yajl_gen_map_close(g);
#undef S
                yajl_gen_get_buf(g, &buf, &len);
                while (len > 0 && buf[len - 1] == '\n')
                        len--;
                printf("%.*s\n", (int) len, (const char *) buf);
                yajl_gen_free(g);
        } else {
                idl_diag_sink *sink = NULL;
                idl_import_options o = { .source_name = argv[1] };
                char *doc = NULL;
                size_t doclen = 0;

                if (f && asprintf(&doc, "<node>%.*s</node>", (int) (f->end - f->start), in.xml + f->start) < 0)
                        doc = NULL;
                r = idl_diag_sink_new(stderr, &sink);
                if (r >= 0) {
                        const char *text = doc ? doc : in.xml;
                        doclen = strlen(text);
                        r = idl_import_xml(argv[2], text, doclen, &o, sink, stdout);
                }
                if (r < 0 || (sink && idl_diag_stopped(sink)))
                        r = fail(EXIT_BUS, "cannot import %s's introspection of %s%s%s", argv[1], argv[2],
                                 r < 0 ? ": " : "", r < 0 ? strerror(-r) : "");
                else
                        r = 0;
                if (sink)
                        idl_diag_flush(sink);
                idl_diag_sink_free(sink);
                free(doc);
        }
        intro_free(&in);
        return r;
}

/* tree NAME [PATH]: every object path below PATH (default /), one a line, breadth first. */
static int cmd_tree(sd_bus *bus, int argc, char **argv) {
        char **queue;
        size_t head = 0, n = 1;
        int r = 0;

        if (argc < 2 || argc > 3)
                return usage_error("tree takes NAME [PATH]");
        queue = malloc(sizeof(char *));
        if (!queue || !(queue[0] = strdup(argc > 2 ? argv[2] : "/")))
                return fail(EXIT_BUS, "out of memory");
        while (head < n && head < 10000 && r == 0) {
                intro in;
                const char *path = queue[head++];

                r = introspect(bus, argv[1], path, &in);
                if (r)
                        break;
                if (!arg_quiet)
                        printf("%s\n", path);
                if (in.n_children) {
                        char **g = realloc(queue, (n + in.n_children) * sizeof(char *));
                        if (!g)
                                r = fail(EXIT_BUS, "out of memory");
                        else {
                                queue = g;
                                for (size_t k = 0; k < in.n_children; k++)
                                        if (asprintf(&queue[n++], "%s%s%s", path, strcmp(path, "/") ? "/" : "",
                                                     in.children[k]) < 0)
                                                queue[--n] = NULL;
                        }
                }
                intro_free(&in);
        }
        for (size_t k = 0; k < n; k++)
                free(queue[k]);
        free(queue);
        return r;
}

static int cmd_list(sd_bus *bus, int argc, char **argv) {
        char **names = NULL;
        yajl_gen g = NULL;
        int r;

        (void) argv;
        if (argc != 1)
                return usage_error("list takes no arguments");
        r = sd_bus_list_names(bus, &names, NULL);
        if (r < 0)
                return fail(EXIT_BUS, "cannot list names: %s", strerror(-r));
        if (arg_json) {
                g = yajl_gen_alloc(NULL);
                yajl_gen_config(g, yajl_gen_beautify, (int) arg_pretty);
                yajl_gen_config(g, yajl_gen_indent_string, "  ");
                yajl_gen_array_open(g);
        } else if (!arg_quiet)
                printf("%-40s %8s %-16s %s\n", "NAME", "PID", "PROCESS", "CONNECTION");
        for (size_t k = 0; names && names[k]; k++) {
                sd_bus_creds *c = NULL;
                pid_t pid = 0;
                const char *comm = NULL, *unique = NULL;

                if (sd_bus_get_name_creds(bus, names[k], SD_BUS_CREDS_AUGMENT | SD_BUS_CREDS_PID | SD_BUS_CREDS_COMM |
                                          SD_BUS_CREDS_UNIQUE_NAME, &c) >= 0) {
                        (void) sd_bus_creds_get_pid(c, &pid);
                        (void) sd_bus_creds_get_comm(c, &comm);
                        (void) sd_bus_creds_get_unique_name(c, &unique);
                }
                if (g) {
                        char num[32];
                        yajl_gen_map_open(g);
                        yajl_gen_string(g, (const unsigned char *) "name", 4);
                        yajl_gen_string(g, (const unsigned char *) names[k], strlen(names[k]));
                        yajl_gen_string(g, (const unsigned char *) "pid", 3);
                        if (pid > 0) {
                                snprintf(num, sizeof(num), "%d", (int) pid);
                                yajl_gen_number(g, num, strlen(num));
                        } else
                                yajl_gen_null(g);
                        yajl_gen_string(g, (const unsigned char *) "process", 7);
                        if (comm)
                                yajl_gen_string(g, (const unsigned char *) comm, strlen(comm));
                        else
                                yajl_gen_null(g);
                        yajl_gen_string(g, (const unsigned char *) "connection", 10);
                        if (unique)
                                yajl_gen_string(g, (const unsigned char *) unique, strlen(unique));
                        else
                                yajl_gen_null(g);
                        yajl_gen_map_close(g);
                } else if (!arg_quiet) {
                        char pidtext[16] = "-";
                        if (pid > 0)
                                snprintf(pidtext, sizeof(pidtext), "%d", (int) pid);
                        printf("%-40s %8s %-16s %s\n", names[k], pidtext, comm ? comm : "-", unique ? unique : "-");
                }
                sd_bus_creds_unref(c);
                free(names[k]);
        }
        free(names);
        if (g) {
                const unsigned char *buf;
                size_t len;
                yajl_gen_array_close(g);
                yajl_gen_get_buf(g, &buf, &len);
                while (len > 0 && buf[len - 1] == '\n')
                        len--;
                if (!arg_quiet)
                        printf("%.*s\n", (int) len, (const char *) buf);
                yajl_gen_free(g);
        }
        return 0;
}

static int cmd_emit(sd_bus *bus, int argc, char **argv) {
        sd_bus_message *m = NULL;
        char *iface_name = NULL;
        const char *signal_name;
        int r;

        intro in = { 0 };
        member *mem = NULL;
        char *inferred = NULL;
        const char *json = argc > 3 ? argv[3] : NULL, *sig = arg_signature;

        if (argc < 3 || argc > 4)
                return usage_error("emit takes PATH INTERFACE.SIGNAL [JSON]");
        r = split_member(argv[2], &iface_name, &signal_name);
        if (r)
                return r;
        if (!sig && arg_idl) {          /* typed by the IDL's signal */
                r = load_idl(&in);
                if (r == 0 && !(mem = find_member(&in, NULL, argv[1], iface_name, 's', signal_name)))
                        r = EXIT_USAGE;
                if (r) {
                        intro_free(&in);
                        free(iface_name);
                        return r;
                }
                sig = mem->in_typed;
        } else if (!sig) {              /* inferred from the JSON, as a variant's value is (docs/json.md) */
                sd_bus_error error = SD_BUS_ERROR_NULL;
                r = dbidl_json_infer_signature(json ? json : "[]", strlen(json ? json : "[]"), &inferred, &error);
                if (r < 0) {
                        r = fail(r == -ENOMEM ? EXIT_BUS : EXIT_USAGE, "%s", error.message ? error.message
                                                                                   : strerror(-r));
                        sd_bus_error_free(&error);
                        free(iface_name);
                        return r;
                }
                sig = inferred;
        }
        r = sd_bus_message_new_signal(bus, &m, argv[1], iface_name, signal_name);
        if (r < 0)
                r = fail(EXIT_USAGE, "cannot emit %s at %s: %s", argv[2], argv[1], strerror(-r));
        else
                r = append_json(m, sig, mem ? mem->in_names : NULL, json);
        if (r == 0) {
                r = sd_bus_send(bus, m, NULL);
                if (r >= 0)
                        r = sd_bus_flush(bus);
                r = r < 0 ? fail(EXIT_BUS, "cannot send: %s", strerror(-r)) : 0;
        }
        sd_bus_message_unref(m);
        free(iface_name);
        free(inferred);
        intro_free(&in);
        return r;
}

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
        (void) sig;
        interrupted = 1;
}

/*
 * Where monitor finds signal argument names: --idl FILE, or each sender's
 * introspection of the signal's path, asked once per (sender, path) and
 * remembered (a sender that cannot be introspected has none: its arguments
 * stay an array).  The cache is dropped whole when it is full.
 */
#define MONITOR_CACHE_MAX 256
typedef struct monitor_state {
        int status;
        intro idl;                      /* --idl */
        struct {
                char *key;              /* "sender path" */
                intro in;
        } cache[MONITOR_CACHE_MAX];
        size_t n_cache;
} monitor_state;

static void monitor_cache_clear(monitor_state *st) {
        for (size_t k = 0; k < st->n_cache; k++) {
                free(st->cache[k].key);
                intro_free(&st->cache[k].in);
        }
        st->n_cache = 0;
}

/* The signal's member description, or NULL. */
static const member *monitor_member(monitor_state *st, sd_bus_message *m) {
        const char *sender = sd_bus_message_get_sender(m), *path = sd_bus_message_get_path(m);
        const char *iface = sd_bus_message_get_interface(m), *name = sd_bus_message_get_member(m);
        intro *in = NULL;
        iface_info *f;
        char *key = NULL;

        if (!iface || !name)
                return NULL;
        if (arg_idl)
                in = &st->idl;
        else {
                if (!sender || !path || asprintf(&key, "%s %s", sender, path) < 0)
                        return NULL;
                for (size_t k = 0; k < st->n_cache && !in; k++)
                        if (strcmp(st->cache[k].key, key) == 0)
                                in = &st->cache[k].in;
                if (!in) {
                        if (st->n_cache == MONITOR_CACHE_MAX)
                                monitor_cache_clear(st);
                        in = &st->cache[st->n_cache].in;
                        if (introspect(sd_bus_message_get_bus(m), sender, path, in) != 0)
                                memset(in, 0, sizeof(*in));
                        st->cache[st->n_cache++].key = key;
                        key = NULL;
                }
                free(key);
        }
        f = find_iface(in, iface);
        for (size_t k = 0; f && k < f->n_members; k++)
                if (f->members[k].kind == 's' && strcmp(f->members[k].name, name) == 0)
                        return &f->members[k];
        return NULL;
}

/* One JSON line for the signal `m`: header fields and its arguments, by name when they are known. */
static int on_message(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        yajl_gen g = yajl_gen_alloc(NULL);
        const unsigned char *buf;
        size_t len;
        char *args = NULL;
        const char *fields[][2] = {
                { "sender", sd_bus_message_get_sender(m) },   { "path", sd_bus_message_get_path(m) },
                { "interface", sd_bus_message_get_interface(m) }, { "member", sd_bus_message_get_member(m) },
                { "signature", sd_bus_message_get_signature(m, true) },
        };
        monitor_state *st = userdata;
        int *status = &st->status;
        const member *mem;

        (void) ret_error;
        if (!sd_bus_message_is_signal(m, NULL, NULL)) {
                yajl_gen_free(g);
                return 0;
        }
        mem = monitor_member(st, m);
        /* named when the description has names and the signature it says, else by position */
        if (!mem || !mem->in_names || strcmp(mem->in_sig, fields[4][1] ? fields[4][1] : "") != 0 ||
            dbidl_json_read_typed(m, mem->in_typed ? mem->in_typed : mem->in_sig,
                                  (const char *const *) mem->in_names, 0, &args) < 0) {
                (void) sd_bus_message_rewind(m, true);
                if (dbidl_json_read(m, NULL, 0, &args) < 0)
                        args = NULL;
        }
        yajl_gen_map_open(g);
        for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
                yajl_gen_string(g, (const unsigned char *) fields[k][0], strlen(fields[k][0]));
                if (fields[k][1])
                        yajl_gen_string(g, (const unsigned char *) fields[k][1], strlen(fields[k][1]));
                else
                        yajl_gen_null(g);
        }
        yajl_gen_string(g, (const unsigned char *) "args", 4);
        if (args)
                yajl_gen_number(g, args, strlen(args));         /* already JSON: copied as it is */
        else
                yajl_gen_null(g);
        yajl_gen_map_close(g);
        yajl_gen_get_buf(g, &buf, &len);
        if (fwrite(buf, 1, len, stdout) != len || fputc('\n', stdout) == EOF || fflush(stdout) == EOF)
                *status = -EPIPE;       /* the reader went away: stop quietly */
        yajl_gen_free(g);
        free(args);
        return 0;
}

static int monitor_loop(sd_bus *bus, int argc, char **argv, monitor_state *st);

static int cmd_monitor(sd_bus *bus, int argc, char **argv) {
        monitor_state *st = calloc(1, sizeof(monitor_state));
        int r = 0;

        if (!st)
                return fail(EXIT_BUS, "out of memory");
        if (arg_idl) {
                r = load_idl(&st->idl);
                if (r) {
                        free(st);
                        return r;
                }
        }
        /* a sender that does not answer its introspection holds the stream up for at most this long */
        introspect_quietly = true;
        if (!arg_timeout_usec)
                sd_bus_set_method_call_timeout(bus, 1000000);
        r = monitor_loop(bus, argc, argv, st);
        monitor_cache_clear(st);
        intro_free(&st->idl);
        free(st);
        return r;
}

static int monitor_loop(sd_bus *bus, int argc, char **argv, monitor_state *st) {
        struct sigaction sa = { .sa_handler = on_signal };
        int r = 0;

        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);

        if (argc == 1)
                r = sd_bus_add_match(bus, NULL, "type='signal'", on_message, st);
        else
                for (int i = 1, r2 = 0; i < argc && r2 >= 0; i++) {
                        char *match = NULL;
                        if (asprintf(&match, "type='signal',sender='%s'", argv[i]) < 0)
                                return fail(EXIT_BUS, "out of memory");
                        r = r2 = sd_bus_add_match(bus, NULL, match, on_message, st);
                        free(match);
                }
        if (r < 0)
                return fail(EXIT_BUS, "cannot watch signals: %s", strerror(-r));

        while (!interrupted && st->status == 0) {
                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return fail(EXIT_BUS, "connection lost: %s", strerror(-r));
                if (r > 0)
                        continue;
                r = sd_bus_wait(bus, UINT64_MAX);
                if (r < 0 && r != -EINTR)
                        return fail(EXIT_BUS, "connection lost: %s", strerror(-r));
        }
        return 0;
}

/* wait NAME: until NAME has an owner, at most --timeout (default 25 s): 0, or 1 on timeout. */
static int cmd_wait(sd_bus *bus, int argc, char **argv) {
        uint64_t timeout = arg_timeout_usec ? arg_timeout_usec : 25 * UINT64_C(1000000), start, now;
        struct timespec ts;
        char *match = NULL;
        int r;

        if (argc != 2)
                return usage_error("wait takes NAME");
        if (asprintf(&match,
                     "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
                     "member='NameOwnerChanged',arg0='%s'", argv[1]) < 0)
                return fail(EXIT_BUS, "out of memory");
        r = sd_bus_add_match(bus, NULL, match, NULL, NULL);
        free(match);
        if (r < 0)
                return fail(EXIT_BUS, "cannot watch %s: %s", argv[1], strerror(-r));
        clock_gettime(CLOCK_MONOTONIC, &ts);
        start = (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
        for (;;) {
                sd_bus_error error = SD_BUS_ERROR_NULL;
                sd_bus_message *reply = NULL;
                int has = 0;

                r = sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", &error, &reply, "s", argv[1]);
                if (r < 0) {
                        r = bus_error(&error, r);
                        sd_bus_error_free(&error);
                        return r;
                }
                r = sd_bus_message_read(reply, "b", &has);
                sd_bus_message_unref(reply);
                if (r > 0 && has)
                        return 0;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                now = (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
                if (now - start >= timeout)
                        return fail(EXIT_BUS, "timed out waiting for %s", argv[1]);
                while (sd_bus_process(bus, NULL) > 0)
                        ;
                (void) sd_bus_wait(bus, timeout - (now - start));
        }
}

/* ---- main ---------------------------------------------------------------- */

static void help(void) {
        printf("Usage: dbidl [OPTIONS] COMMAND ...\n"
               "Call, inspect and watch D-Bus services with JSON in and out.\n"
               "\n"
               "Commands:\n"
               "  list                                   names on the bus, their pids and processes\n"
               "  tree NAME [PATH]                       the object paths of a service\n"
               "  introspect NAME PATH [INTERFACE]       interfaces as .idl (--xml, --json)\n"
               "  call NAME PATH INTERFACE.METHOD [JSON] call a method: arguments as a JSON object by\n"
               "                                         name or an array by position; prints the\n"
               "                                         results as a JSON object by name\n"
               "  get NAME PATH INTERFACE PROPERTY...    read properties, as a JSON object\n"
               "  set NAME PATH INTERFACE PROPERTY JSON  write a property\n"
               "  monitor [NAME...]                      print signals as JSON lines until interrupted\n"
               "  emit PATH INTERFACE.SIGNAL [JSON]      send a signal (typed by --idl, --signature or\n"
               "                                         the JSON itself)\n"
               "  wait NAME                              wait until NAME has an owner (--timeout)\n"
               "\n"
               "Options:\n"
               "      --session          the user's session bus (default)\n"
               "      --system           the system bus\n"
               "      --address=ADDR     the bus at ADDR\n"
               "      --peer=ADDR        a peer-to-peer connection to ADDR (no bus; NAME is ignored)\n"
               "  -H, --host=[USER@]HOST the system bus of HOST, over ssh\n"
               "      --timeout=SEC      method call timeout, and wait's limit (default 25)\n"
               "      --signature=SIG    type the arguments by SIG instead of introspection\n"
               "      --idl=FILE         type members by the .idl FILE instead of introspection;\n"
               "                         its structs are JSON objects by field name\n"
               "      --json=pretty|short  JSON layout (default: pretty on a terminal); list and\n"
               "                         introspect print JSON when it is given\n"
               "      --xml              introspect: print the XML as the service gives it\n"
               "      --list             introspect: one member a line (\"method IFACE.NAME\",\n"
               "                         \"signal IFACE.NAME\", \"property IFACE NAME\")\n"
               "  -q, --quiet            print no results\n"
               "  -h, --help             show this help and exit\n"
               "      --version          show the version and exit\n"
               "\n"
               "Exit status: 0 success; 1 a failure on the bus (a D-Bus error, printed on stderr as\n"
               "{\"error\": NAME, \"message\": TEXT}); 2 a usage error (bad options, bad JSON, unknown member).\n"
               "See dbidl(1) and %s/json.md.\n",
               DBIDL_DOCDIR);
}

int main(int argc, char **argv) {
        enum { OPT_SESSION = 0x100, OPT_SYSTEM, OPT_ADDRESS, OPT_PEER, OPT_TIMEOUT, OPT_JSON, OPT_XML, OPT_VERSION,
               OPT_SIGNATURE, OPT_IDL, OPT_LIST };
        static const struct option options[] = {
                { "session", no_argument, NULL, OPT_SESSION },
                { "user", no_argument, NULL, OPT_SESSION },
                { "system", no_argument, NULL, OPT_SYSTEM },
                { "address", required_argument, NULL, OPT_ADDRESS },
                { "peer", required_argument, NULL, OPT_PEER },
                { "host", required_argument, NULL, 'H' },
                { "timeout", required_argument, NULL, OPT_TIMEOUT },
                { "signature", required_argument, NULL, OPT_SIGNATURE },
                { "idl", required_argument, NULL, OPT_IDL },
                { "json", required_argument, NULL, OPT_JSON },
                { "xml", no_argument, NULL, OPT_XML },
                { "list", no_argument, NULL, OPT_LIST },
                { "quiet", no_argument, NULL, 'q' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, OPT_VERSION },
                {},
        };
        static const struct {
                const char *name;
                bool needs_bus;
                int (*run)(sd_bus *bus, int argc, char **argv);
        } commands[] = {
                { "list", true, cmd_list },       { "tree", true, cmd_tree }, { "introspect", true, cmd_introspect },
                { "call", true, cmd_call },       { "get", true, cmd_get },   { "set", true, cmd_set },
                { "monitor", true, cmd_monitor }, { "emit", true, cmd_emit }, { "wait", true, cmd_wait },
        };
        sd_bus *bus = NULL;
        int c, r;
        bool json_set = false;

        arg_pretty = isatty(STDOUT_FILENO);
        opterr = 0;
        /* "+": options stop at the command, so JSON arguments starting with "-" (numbers) are left alone */
        while ((c = getopt_long(argc, argv, "+H:qh", options, NULL)) >= 0) {
                switch (c) {
                case OPT_SESSION:
                        arg_bus = BUS_SESSION;
                        break;
                case OPT_SYSTEM:
                        arg_bus = BUS_SYSTEM;
                        break;
                case OPT_ADDRESS:
                case OPT_PEER:
                case 'H':
                        arg_bus = c == 'H' ? BUS_HOST : c == OPT_PEER ? BUS_PEER : BUS_ADDRESS;
                        arg_address = optarg;
                        break;
                case OPT_TIMEOUT: {
                        char *end = NULL;
                        double sec;
                        errno = 0;
                        sec = strtod(optarg, &end);
                        if (errno || !end || *end || end == optarg || !(sec > 0) || sec > 1e9)
                                return usage_error("--timeout takes a number of seconds > 0, not '%s'", optarg);
                        arg_timeout_usec = (uint64_t) (sec * 1e6);
                        if (arg_timeout_usec == 0)
                                arg_timeout_usec = 1;
                        break;
                }
                case OPT_SIGNATURE:
                        arg_signature = optarg;
                        break;
                case OPT_IDL:
                        arg_idl = optarg;
                        break;
                case OPT_JSON:
                        if (strcmp(optarg, "pretty") == 0)
                                arg_pretty = true;
                        else if (strcmp(optarg, "short") == 0)
                                arg_pretty = false;
                        else
                                return usage_error("--json takes pretty or short, not '%s'", optarg);
                        arg_json = json_set = true;
                        break;
                case OPT_XML:
                        arg_xml = true;
                        break;
                case OPT_LIST:
                        arg_list = true;
                        break;
                case 'q':
                        arg_quiet = true;
                        break;
                case 'h':
                        help();
                        return 0;
                case OPT_VERSION:
                        printf("dbidl %s\n", PACKAGE_VERSION);
                        return 0;
                case '?':
                        if (optopt)
                                return usage_error("unknown option -%c", optopt);
                        return usage_error("unknown option '%s'", argv[optind - 1]);
                case ':':
                        return usage_error("option '%s' needs an argument", argv[optind - 1]);
                default:
                        return usage_error("bad option");
                }
        }
        if ((arg_xml && json_set) || (arg_list && (arg_xml || json_set)))
                return usage_error("--xml, --list and --json do not go together");
        if (optind >= argc)
                return usage_error("no command given");

        for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
                if (strcmp(argv[optind], commands[k].name) != 0)
                        continue;
                r = connect_bus(&bus);
                if (r)
                        return r;
                r = commands[k].run(bus, argc - optind, argv + optind);
                sd_bus_flush_close_unref(bus);
                if (fflush(stdout) == EOF && r == 0)
                        r = EXIT_BUS;
                return r;
        }
        return usage_error("unknown command '%s'", argv[optind]);
}
