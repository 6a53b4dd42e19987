// Speed of the project's zlib readers (gzip_stream, zip_archive) against
// libarchive's gzip filter and zip reader on one file, three times each,
// alternating: `make container-speed FILE=...`. Prints seconds and bytes.
#include <archive.h>
#include <archive_entry.h>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>
#include <fcntl.h>
#include <unistd.h>
#include "read/gzip_stream.h"
#include "read/zip_archive.h"
using namespace tweet_loader;
static double now(){ return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
static size_t via_libarchive(const char* path, bool zip){
  archive* a=archive_read_new();
  if(zip) archive_read_support_format_zip(a); else { archive_read_support_filter_gzip(a); archive_read_support_format_raw(a);}
  archive_read_open_filename(a,path,1<<20);
  archive_entry* e; size_t tot=0; std::vector<char> buf(1<<20);
  while(archive_read_next_header(a,&e)==ARCHIVE_OK){ la_ssize_t n; while((n=archive_read_data(a,buf.data(),buf.size()))>0) tot+=n; }
  archive_read_free(a); return tot;
}
static size_t via_project(const char* path, bool zip){
  int fd=open(path,O_RDONLY); size_t tot=0; std::vector<char> buf(1<<20);
  if(zip){ off_t sz=lseek(fd,0,SEEK_END);
    ZipArchive z([&](void*b,size_t n,uint64_t off){ return (size_t)pread(fd,b,n,off);}, sz, 1<<18);
    while(z.next_member()){ size_t n; while((n=z.read(buf.data(),buf.size()))>0) tot+=n; }
  } else {
    GzipStream g([&](unsigned char*b,size_t n){ return (size_t)read(fd,b,n);}, 1<<18);
    size_t n; while((n=g.read(buf.data(),buf.size()))>0) tot+=n;
  }
  close(fd); return tot;
}
int main(int argc,char**argv){
  bool zip=std::string(argv[1]).find(".zip")!=std::string::npos;
  for(int r=0;r<3;r++){
    double t0=now(); size_t a=via_project(argv[1],zip); double t1=now(); size_t b=via_libarchive(argv[1],zip); double t2=now();
    printf("%s: project %.3f s, libarchive %.3f s (%zu / %zu bytes)\n", argv[1], t1-t0, t2-t1, a, b);
  }
}
