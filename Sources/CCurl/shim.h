#ifndef SWEREX_CCURL_SHIM_H
#define SWEREX_CCURL_SHIM_H
// libcurl, loaded on first use. Linking it would load some thirty libraries (TLS, SSH, Kerberos,
// LDAP, IDN) at the start of every run, about 3 ms, although validate, config and the cli engine
// make no HTTP request. So the program is not linked with it: srr_curl_load() opens libcurl.so.4
// and looks up the few functions used, and every call goes through the srr_curl_* functions below.
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call; their typed
// wrappers are the only way HTTPTransport reaches them. Types and constants come from curl.h.
#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

struct srr_curl_functions {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *handle);
    void (*easy_reset)(CURL *handle);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode code);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *multi);
    CURLMcode (*multi_add_handle)(CURLM *multi, CURL *handle);
    CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *handle);
    CURLMcode (*multi_perform)(CURLM *multi, int *running);
    CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd *extra, unsigned int count, int timeout_ms, int *ready);
    CURLMcode (*multi_wakeup)(CURLM *multi);
    CURLMsg *(*multi_info_read)(CURLM *multi, int *queued);
    const char *(*multi_strerror)(CURLMcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
    void (*slist_free_all)(struct curl_slist *list);
};

// One table for the program. Each object file that uses the header emits this function; being weak,
// the linker keeps one of them and so one table, the one srr_curl_load filled.
__attribute__((weak, visibility("hidden"))) struct srr_curl_functions *srr_curl_table(void) {
    static struct srr_curl_functions table;
    return &table;
}
#define srr_curl (*srr_curl_table())

/// Opens libcurl and fills the table, then runs curl_global_init. Returns NULL on success, else why
/// not (dlerror's text, or curl's). Call it once, before any other srr_curl_* function, from one
/// thread (Swift's global initialiser does both).
static inline const char *srr_curl_load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return dlerror();
#define SRR_CURL_FIND(field, name) \
    if ((*(void **)&srr_curl.field = dlsym(library, name)) == NULL) return dlerror();
    SRR_CURL_FIND(global_init, "curl_global_init")
    SRR_CURL_FIND(easy_init, "curl_easy_init")
    SRR_CURL_FIND(easy_cleanup, "curl_easy_cleanup")
    SRR_CURL_FIND(easy_reset, "curl_easy_reset")
    SRR_CURL_FIND(easy_setopt, "curl_easy_setopt")
    SRR_CURL_FIND(easy_getinfo, "curl_easy_getinfo")
    SRR_CURL_FIND(easy_strerror, "curl_easy_strerror")
    SRR_CURL_FIND(multi_init, "curl_multi_init")
    SRR_CURL_FIND(multi_cleanup, "curl_multi_cleanup")
    SRR_CURL_FIND(multi_add_handle, "curl_multi_add_handle")
    SRR_CURL_FIND(multi_remove_handle, "curl_multi_remove_handle")
    SRR_CURL_FIND(multi_perform, "curl_multi_perform")
    SRR_CURL_FIND(multi_poll, "curl_multi_poll")
    SRR_CURL_FIND(multi_wakeup, "curl_multi_wakeup")
    SRR_CURL_FIND(multi_info_read, "curl_multi_info_read")
    SRR_CURL_FIND(multi_strerror, "curl_multi_strerror")
    SRR_CURL_FIND(slist_append, "curl_slist_append")
    SRR_CURL_FIND(slist_free_all, "curl_slist_free_all")
#undef SRR_CURL_FIND
    CURLcode code = srr_curl.global_init(CURL_GLOBAL_ALL);
    return code == CURLE_OK ? NULL : srr_curl.easy_strerror(code);
}

static inline CURL *srr_curl_easy_init(void) { return srr_curl.easy_init(); }
static inline void srr_curl_easy_cleanup(CURL *handle) { srr_curl.easy_cleanup(handle); }
static inline void srr_curl_easy_reset(CURL *handle) { srr_curl.easy_reset(handle); }
static inline const char *srr_curl_easy_strerror(CURLcode code) { return srr_curl.easy_strerror(code); }
static inline CURLM *srr_curl_multi_init(void) { return srr_curl.multi_init(); }
static inline CURLMcode srr_curl_multi_cleanup(CURLM *multi) { return srr_curl.multi_cleanup(multi); }
static inline CURLMcode srr_curl_multi_add_handle(CURLM *multi, CURL *handle) {
    return srr_curl.multi_add_handle(multi, handle);
}
static inline CURLMcode srr_curl_multi_remove_handle(CURLM *multi, CURL *handle) {
    return srr_curl.multi_remove_handle(multi, handle);
}
static inline CURLMcode srr_curl_multi_perform(CURLM *multi, int *running) {
    return srr_curl.multi_perform(multi, running);
}
static inline CURLMcode srr_curl_multi_poll(CURLM *multi, int timeout_ms) {
    return srr_curl.multi_poll(multi, NULL, 0, timeout_ms, NULL);
}
static inline CURLMcode srr_curl_multi_wakeup(CURLM *multi) { return srr_curl.multi_wakeup(multi); }
static inline CURLMsg *srr_curl_multi_info_read(CURLM *multi, int *queued) {
    return srr_curl.multi_info_read(multi, queued);
}
static inline const char *srr_curl_multi_strerror(CURLMcode code) { return srr_curl.multi_strerror(code); }
static inline struct curl_slist *srr_curl_slist_append(struct curl_slist *list, const char *text) {
    return srr_curl.slist_append(list, text);
}
static inline void srr_curl_slist_free_all(struct curl_slist *list) { srr_curl.slist_free_all(list); }

static inline CURLcode srr_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return srr_curl.easy_setopt(handle, option, value);
}

static inline CURLcode srr_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return srr_curl.easy_setopt(handle, option, value);
}

static inline CURLcode srr_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return srr_curl.easy_setopt(handle, option, value);
}

static inline CURLcode srr_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return srr_curl.easy_setopt(handle, option, value);
}

static inline CURLcode srr_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return srr_curl.easy_setopt(handle, option, value);
}

static inline CURLcode srr_curl_setopt_write_function(CURL *handle, curl_write_callback callback) {
    return srr_curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode srr_curl_setopt_header_function(CURL *handle, curl_write_callback callback) {
    return srr_curl.easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

static inline CURLcode srr_curl_setopt_read_function(CURL *handle, curl_read_callback callback) {
    return srr_curl.easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

static inline CURLcode srr_curl_setopt_xferinfo_function(CURL *handle, curl_xferinfo_callback callback) {
    return srr_curl.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode srr_curl_setopt_sockopt_function(CURL *handle, curl_sockopt_callback callback) {
    return srr_curl.easy_setopt(handle, CURLOPT_SOCKOPTFUNCTION, callback);
}

static inline CURLcode srr_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return srr_curl.easy_getinfo(handle, info, value);
}

static inline CURLcode srr_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return srr_curl.easy_getinfo(handle, info, value);
}

#endif
