/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/types/service.c — types-service: serves org.dbidl.Types1, echoing every type back with the generated _copy() functions */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "types.h"
#include "copy.h"

#define TYPES_PATH "/org/dbidl/Types1"
#define TYPES_NAME "org.dbidl.Types1"

/* What the readwrite properties hold; everything in it is owned by the service. */
typedef struct types_service {
        sd_bus *bus;
        types_Record current;
        types_Uint32StringArrayDict lists;
        types_Level level;
        types_Caps caps;
        int handle;
} types_service;

static void report(const char *what, int r) {
        if (r < 0)
                fprintf(stderr, "types-service: %s failed: %s\n", what, strerror(-r));
}

static int on_echo_basics(sd_bus_message *call, void *userdata, uint8_t y, bool b, int16_t n, uint16_t q, int32_t i,
                          uint32_t u, int64_t x, uint64_t t, double d, const char *s, const char *o, const char *g,
                          uint8_t *ret_out_y, bool *ret_out_b, int16_t *ret_out_n, uint16_t *ret_out_q,
                          int32_t *ret_out_i, uint32_t *ret_out_u, int64_t *ret_out_x, uint64_t *ret_out_t,
                          double *ret_out_d, char **ret_out_s, char **ret_out_o, char **ret_out_g,
                          sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        printf("EchoBasics(%u, %d, %d, %u, %" PRIi32 ", %" PRIu32 ", %" PRIi64 ", %" PRIu64 ", %g, \"%s\", %s, \"%s\")\n",
               y, b, n, q, i, u, x, t, d, s, o, g);
        *ret_out_y = y;
        *ret_out_b = b;
        *ret_out_n = n;
        *ret_out_q = q;
        *ret_out_i = i;
        *ret_out_u = u;
        *ret_out_x = x;
        *ret_out_t = t;
        *ret_out_d = d;
        /* the strings are owned by the skeleton from here on, which frees them after the reply */
        *ret_out_s = dbidl_strdup(s);
        *ret_out_o = dbidl_strdup(o);
        *ret_out_g = dbidl_strdup(g);
        if (!*ret_out_s || !*ret_out_o || !*ret_out_g)
                return -ENOMEM;
        return 0;
}

static int on_echo_variant(sd_bus_message *call, void *userdata, dbidl_variant *v, dbidl_variant **ret_out_v,
                           sd_bus_error *ret_error) {
        types_service *svc = userdata;
        (void) call;
        (void) ret_error;
        printf("EchoVariant(%s)\n", dbidl_variant_get_signature(v));
        *ret_out_v = dbidl_variant_ref(v);
        report("VariantEchoed", types_emit_variant_echoed(svc->bus, TYPES_PATH, v));
        return 0;
}

static int on_echo_arrays(sd_bus_message *call, void *userdata, const int32_t *ai, size_t n_ai, const uint8_t *ay,
                          size_t n_ay, char *const *as, const bool *ab, size_t n_ab, const types_DoubleArrayArray *aad,
                          int32_t **ret_out_ai, size_t *ret_n_out_ai, uint8_t **ret_out_ay, size_t *ret_n_out_ay,
                          char ***ret_out_as, bool **ret_out_ab, size_t *ret_n_out_ab,
                          types_DoubleArrayArray *ret_out_aad, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        int r;
        (void) call;
        (void) ret_error;
        printf("EchoArrays(%zu int32, %zu bytes, %zu bools, %zu double arrays)\n", n_ai, n_ay, n_ab, aad->n);
        r = memdup_array(ai, n_ai, sizeof(*ai), (void **) ret_out_ai);
        if (r < 0)
                return r;
        *ret_n_out_ai = n_ai;
        r = memdup_array(ay, n_ay, sizeof(*ay), (void **) ret_out_ay);
        if (r < 0)
                return r;
        *ret_n_out_ay = n_ay;
        r = memdup_array(ab, n_ab, sizeof(*ab), (void **) ret_out_ab);
        if (r < 0)
                return r;
        *ret_n_out_ab = n_ab;
        if (as) {
                *ret_out_as = dbidl_strv_copy(as);
                if (!*ret_out_as)
                        return -ENOMEM;
        }
        r = types_DoubleArrayArray_copy(ret_out_aad, aad);
        if (r < 0)
                return r;
        report("ArraysEchoed", types_emit_arrays_echoed(svc->bus, TYPES_PATH, ai, n_ai, as, aad));
        return 0;
}

static int on_echo_dicts(sd_bus_message *call, void *userdata, const types_Uint32StringArrayDict *lists,
                         const types_ObjpathVardictDict *objects, dbidl_dict *options,
                         const types_StringStringInt32DictDict *nested,
                         types_Uint32StringArrayDict *ret_out_lists, types_ObjpathVardictDict *ret_out_objects,
                         dbidl_dict **ret_out_options, types_StringStringInt32DictDict *ret_out_nested,
                         sd_bus_error *ret_error) {
        types_service *svc = userdata;
        int r;
        (void) call;
        (void) ret_error;
        printf("EchoDicts(%zu lists, %zu objects, %zu options, %zu nested)\n", lists->n, objects->n,
               dbidl_dict_size(options), nested->n);
        r = types_Uint32StringArrayDict_copy(ret_out_lists, lists);
        if (r < 0)
                return r;
        r = types_ObjpathVardictDict_copy(ret_out_objects, objects);
        if (r < 0)
                return r;
        *ret_out_options = dbidl_dict_ref(options);
        r = types_StringStringInt32DictDict_copy(ret_out_nested, nested);
        if (r < 0)
                return r;
        report("DictsEchoed", types_emit_dicts_echoed(svc->bus, TYPES_PATH, lists, objects, nested));
        return 0;
}

static int on_echo_structs(sd_bus_message *call, void *userdata, const types_Header *header,
                           const types_Record *record, const types_EchoStructs_Anon *anon,
                           const types_EchoStructs_Items_ItemArray *items, const types_RecordArray *records,
                           types_Header *ret_out_header, types_Record *ret_out_record,
                           types_EchoStructs_OutAnon *ret_out_anon,
                           types_EchoStructs_OutItems_ItemArray *ret_out_items, types_RecordArray *ret_out_records,
                           sd_bus_error *ret_error) {
        types_service *svc = userdata;
        types_StructsEchoed_Anon sig_anon;
        types_StructsEchoed_Items_ItemArray sig_items;
        int r;
        (void) call;
        (void) ret_error;
        printf("EchoStructs(header %" PRIu64 ", record \"%s\", anon %" PRIi32 ", %zu items, %zu records)\n",
               header->id, record->header.label ? record->header.label : "", anon->m0, items->n, records->n);
        r = types_Header_copy(ret_out_header, header);
        if (r < 0)
                return r;
        r = types_Record_copy(ret_out_record, record);
        if (r < 0)
                return r;
        r = anon_to_out(ret_out_anon, anon);
        if (r < 0)
                return r;
        r = items_to_out(ret_out_items, items);
        if (r < 0)
                return r;
        r = types_RecordArray_copy(ret_out_records, records);
        if (r < 0)
                return r;

        r = anon_to_signal(&sig_anon, anon);
        if (r < 0)
                return r;
        r = items_to_signal(&sig_items, items);
        if (r < 0) {
                types_StructsEchoed_Anon_clear(&sig_anon);
                return r;
        }
        report("StructsEchoed", types_emit_structs_echoed(svc->bus, TYPES_PATH, header, &sig_anon, &sig_items));
        types_StructsEchoed_Anon_clear(&sig_anon);
        types_StructsEchoed_Items_ItemArray_clear(&sig_items);
        return 0;
}

static int on_echo_enums(sd_bus_message *call, void *userdata, types_Color color, types_Level level, types_Mode mode,
                         types_Caps caps, types_Color *ret_out_color, types_Level *ret_out_level,
                         types_Mode *ret_out_mode, types_Caps *ret_out_caps, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        (void) call;
        (void) ret_error;
        /* enums arrive checked (the skeleton refuses undeclared values); flags keep every bit */
        printf("EchoEnums(%s, %s, %s, 0x%" PRIx32 ")\n", types_Color_to_string(color), types_Level_to_string(level),
               types_Mode_to_string(mode), caps);
        *ret_out_color = color;
        *ret_out_level = level;
        *ret_out_mode = mode;
        *ret_out_caps = caps;
        report("EnumsEchoed", types_emit_enums_echoed(svc->bus, TYPES_PATH, color, level, mode, caps));
        return 0;
}

static int on_echo_fds(sd_bus_message *call, void *userdata, int handle, const int *handles, size_t n_handles,
                       const types_StringFdDict *named, const types_FileRef *file, int *ret_out_handle,
                       int **ret_out_handles, size_t *ret_n_out_handles, types_StringFdDict *ret_out_named,
                       types_FileRef *ret_out_file, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        int r;
        (void) call;
        (void) ret_error;
        printf("EchoFds(%d, %zu fds, %zu named fds, \"%s\")\n", handle, n_handles, named->n,
               file->name ? file->name : "");
        /* the inputs' fds belong to the message: every output is a duplicate the skeleton closes */
        r = dbidl_fd_dup(handle);
        if (r < 0)
                return r;
        *ret_out_handle = r;
        if (n_handles > 0) {
                int *fds = malloc(n_handles * sizeof(*fds));
                if (!fds)
                        return -ENOMEM;
                for (size_t i = 0; i < n_handles; i++) {
                        r = dbidl_fd_dup(handles[i]);
                        if (r < 0) {
                                dbidl_fd_array_free(fds, i);
                                return r;
                        }
                        fds[i] = r;
                }
                *ret_out_handles = fds;
                *ret_n_out_handles = n_handles;
        }
        r = types_StringFdDict_copy(ret_out_named, named);
        if (r < 0)
                return r;
        r = types_FileRef_copy(ret_out_file, file);
        if (r < 0)
                return r;
        report("FdsEchoed", types_emit_fds_echoed(svc->bus, TYPES_PATH, handle, file));
        return 0;
}

static int get_current(void *userdata, types_Record *ret_value, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        (void) ret_error;
        return types_Record_copy(ret_value, &svc->current);
}

static int set_current(void *userdata, const types_Record *value, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        types_Record copy;
        (void) ret_error;
        int r = types_Record_copy(&copy, value);
        if (r < 0)
                return r;
        printf("Current = record \"%s\"\n", copy.header.label ? copy.header.label : "");
        types_Record_clear(&svc->current);
        svc->current = copy;
        return 0;
}

static int get_lists(void *userdata, types_Uint32StringArrayDict *ret_value, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        (void) ret_error;
        return types_Uint32StringArrayDict_copy(ret_value, &svc->lists);
}

static int set_lists(void *userdata, const types_Uint32StringArrayDict *value, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        types_Uint32StringArrayDict copy;
        (void) ret_error;
        int r = types_Uint32StringArrayDict_copy(&copy, value);
        if (r < 0)
                return r;
        printf("Lists = %zu entries\n", copy.n);
        types_Uint32StringArrayDict_clear(&svc->lists);
        svc->lists = copy;
        return 0;
}

static int get_level(void *userdata, types_Level *ret_value, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        (void) ret_error;
        *ret_value = svc->level;
        return 0;
}

static int set_level(void *userdata, types_Level value, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        (void) ret_error;
        printf("Level = %s\n", types_Level_to_string(value));
        svc->level = value;
        return 0;
}

static int get_caps(void *userdata, types_Caps *ret_value, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        (void) ret_error;
        *ret_value = svc->caps;
        return 0;
}

static int set_caps(void *userdata, types_Caps value, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        (void) ret_error;
        printf("Caps = 0x%" PRIx32 "\n", value);
        svc->caps = value;
        return 0;
}

static int get_handle(void *userdata, int *ret_value, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        (void) ret_error;
        int r = dbidl_fd_dup(svc->handle); /* the skeleton closes it once sent */
        if (r < 0)
                return r;
        *ret_value = r;
        return 0;
}

static int set_handle(void *userdata, int value, sd_bus_error *ret_error) {
        types_service *svc = userdata;
        (void) ret_error;
        int r = dbidl_fd_dup(value); /* value is lent: keep a duplicate */
        if (r < 0)
                return r;
        printf("Handle = fd %d\n", r);
        dbidl_fd_close(svc->handle);
        svc->handle = r;
        return 0;
}

static const types_handlers handlers = {
        .handle_echo_basics = on_echo_basics,
        .handle_echo_variant = on_echo_variant,
        .handle_echo_arrays = on_echo_arrays,
        .handle_echo_dicts = on_echo_dicts,
        .handle_echo_structs = on_echo_structs,
        .handle_echo_enums = on_echo_enums,
        .handle_echo_fds = on_echo_fds,
        .get_current = get_current,
        .set_current = set_current,
        .get_lists = get_lists,
        .set_lists = set_lists,
        .get_level = get_level,
        .set_level = set_level,
        .get_caps = get_caps,
        .set_caps = set_caps,
        .get_handle = get_handle,
        .set_handle = set_handle,
};

/* Valid starting values: every objpath must be a valid path and every enum a declared value to be sent. */
static int service_init(types_service *svc) {
        types_Record_init(&svc->current);
        types_Uint32StringArrayDict_init(&svc->lists);
        svc->level = TYPES_LEVEL_NORMAL;
        svc->caps = TYPES_CAPS_READ;
        svc->current.color = TYPES_COLOR_RED;
        svc->current.header.label = dbidl_strdup("");
        svc->current.header.path = dbidl_strdup("/");
        svc->current.where.m1.m0 = dbidl_strdup("");
        svc->current.where.m1.m1 = dbidl_strdup("/");
        if (!svc->current.header.label || !svc->current.header.path || !svc->current.where.m1.m0 ||
            !svc->current.where.m1.m1)
                return -ENOMEM;
        svc->handle = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (svc->handle < 0)
                return -errno;
        return 0;
}

static void service_done(types_service *svc) {
        types_Record_clear(&svc->current);
        types_Uint32StringArrayDict_clear(&svc->lists);
        dbidl_fd_close(svc->handle);
        svc->handle = -1;
        sd_bus_flush_close_unref(svc->bus);
        svc->bus = NULL;
}

int main(int argc, char **argv) {
        types_service svc = { .handle = -1 };
        int r;

        if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                printf("Usage: types-service\nServe %s at %s on the session bus until SIGTERM.\n", TYPES_NAME,
                       TYPES_PATH);
                return 0;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);

        r = service_init(&svc);
        if (r < 0) {
                fprintf(stderr, "types-service: %s\n", strerror(-r));
                goto out;
        }
        r = dbidl_bus_open_session(&svc.bus);
        if (r < 0) {
                fprintf(stderr, "types-service: cannot connect to the session bus: %s\n", strerror(-r));
                goto out;
        }
        r = types_export(svc.bus, TYPES_PATH, &handlers, &svc, NULL);
        if (r < 0) {
                fprintf(stderr, "types-service: cannot export %s: %s\n", TYPES_PATH, strerror(-r));
                goto out;
        }
        r = dbidl_bus_request_name(svc.bus, TYPES_NAME, 0);
        if (r <= 0) {
                fprintf(stderr, "types-service: cannot own %s: %s\n", TYPES_NAME, r < 0 ? strerror(-r) : "queued");
                r = r < 0 ? r : -EEXIST;
                goto out;
        }
        printf("types-service: serving %s at %s\n", TYPES_NAME, TYPES_PATH);
        r = dbidl_bus_run(svc.bus, NULL);
        if (r < 0)
                fprintf(stderr, "types-service: event loop failed: %s\n", strerror(-r));
out:
        service_done(&svc);
        return r < 0 ? 1 : 0;
}
