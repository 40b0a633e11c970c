# Regenerates libtorrent-expected.json: what libtorrent (python3-libtorrent, Debian) makes of each
# non-v2 fixture torrent. Run with /usr/bin/python3 from the fixture folder:
#   cd /work/shared/fixtures/libtorrent-test-torrents && /usr/bin/python3 <this file> > <json>
import json, sys
import libtorrent as lt

manifest = json.load(open('manifest.json'))
out = {'libtorrent_version': lt.__version__, 'torrents': {}}
for name in sorted(manifest):
    if name.startswith('v2_'):
        continue
    try:
        ti = lt.torrent_info(name)
    except Exception as error:
        out['torrents'][name] = {'error': str(error)}
        continue
    fs = ti.files()
    files = [{
        'path': fs.file_path(i),
        'length': fs.file_size(i),
        'offset': fs.file_offset(i),
        'padding': bool(fs.file_flags(i) & fs.flag_pad_file),
        'symlink': bool(fs.file_flags(i) & fs.flag_symlink),
    } for i in range(fs.num_files())]
    out['torrents'][name] = {
        'infoHash': str(ti.info_hashes().v1),
        'name': ti.name(),
        'pieceLength': ti.piece_length(),
        'pieceCount': ti.num_pieces(),
        'totalLength': ti.total_size(),
        'private': ti.priv(),
        'files': files,
        'trackers': [[t.url, t.tier] for t in ti.trackers()],
        'webSeeds': [w['url'] for w in ti.web_seeds()],
        'comment': ti.comment(),
        'createdBy': ti.creator(),
        'creationDate': ti.creation_date(),
    }
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
