# One project folder's directives, built as the top Makefile builds the root's: one jdgen process
# builds each directive whose files are missing, older than a file it was built from (its
# build/NAME.d lists them) or made by other jdgen code, and only when a file some directive was
# built from is newer than the stamp build/.directives. The top Makefile runs it in each folder
# under examples/:
#   make -C examples/NAME -f ../project.mk JDGEN=/path/to/jdgen DEPS="files every build depends on"
DIRECTIVES := $(wildcard directives/*.yaml)

# No built-in rules: make would look for a way to make each of the thousands of files a directive is
# built from (RCS, SCCS, suffix rules), which took it most of a second at a hundred directives.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

.PHONY: all

all: build/.directives
	@:

build/.directives: $(DIRECTIVES) $(DEPS)
	$(JDGEN) build --outdated -o build

-include build/.directives.d
